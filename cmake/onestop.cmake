# onestop_library(NAME DEPS dep...)
# One library target per folder: every *.cc in the folder except *_test.cc.
# If the folder has *_test.cc files they become one GoogleTest binary NAME_test.
function(onestop_library name)
  cmake_parse_arguments(ARG "" "" "DEPS;TEST_DEPS" ${ARGN})
  file(GLOB srcs CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/*.cc)
  file(GLOB tests CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/*_test.cc)
  if(tests)
    list(REMOVE_ITEM srcs ${tests})
  endif()
  if(NOT srcs)
    # A folder still being written: header-only for now.
    add_library(${name} INTERFACE)
    target_include_directories(${name} INTERFACE ${PROJECT_SOURCE_DIR}/src)
    target_link_libraries(${name} INTERFACE ${ARG_DEPS})
  else()
    add_library(${name} STATIC ${srcs})
    target_include_directories(${name} PUBLIC ${PROJECT_SOURCE_DIR}/src)
    target_link_libraries(${name} PUBLIC ${ARG_DEPS})
  endif()
  if(tests AND ONESTOP_BUILD_TESTS)
    add_executable(${name}_test ${tests})
    target_link_libraries(${name}_test PRIVATE ${name} ${ARG_TEST_DEPS} GTest::gtest GTest::gmock GTest::gtest_main)
    gtest_discover_tests(${name}_test DISCOVERY_MODE PRE_TEST
      PROPERTIES ENVIRONMENT "ONESTOP_SOURCE_DIR=${PROJECT_SOURCE_DIR}")
  endif()
endfunction()

# onestop_embed(TARGET VAR FILE) — compiles FILE into a C++ string constant
# `extern const std::string_view VAR;` declared in the generated header.
function(onestop_embed out_cc var file)
  file(READ ${file} content)
  set(delim "ONESTOP_EMBED")
  file(WRITE ${out_cc}.tmp
    "#include <string_view>\nnamespace onestop::data {\nextern const std::string_view ${var};\nconst std::string_view ${var} = R\"${delim}(${content})${delim}\";\n}\n")
  configure_file(${out_cc}.tmp ${out_cc} COPYONLY)
  set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${file})
endfunction()
