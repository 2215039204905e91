# Copies the GOV.UK Frontend distribution and our own assets into OUT_DIR.
# Run by src/web/CMakeLists.txt after `npm ci`.
set(dist ${SOURCE_DIR}/node_modules/govuk-frontend/dist/govuk)
file(REMOVE_RECURSE ${OUT_DIR})
file(MAKE_DIRECTORY ${OUT_DIR})
file(COPY ${dist}/govuk-frontend.min.css ${dist}/govuk-frontend.min.js DESTINATION ${OUT_DIR})
file(COPY ${dist}/assets/fonts ${dist}/assets/images DESTINATION ${OUT_DIR})
file(GLOB own ${SOURCE_DIR}/web/assets/*)
file(COPY ${own} DESTINATION ${OUT_DIR})
