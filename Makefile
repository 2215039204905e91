# onestop — the two commands a newcomer runs:
#   make run    build (Release) and serve the demo council on http://127.0.0.1:8080
#   make test   build (Debug, ASan+UBSan) and run every test
SHELL := /bin/bash
JOBS ?= $(shell nproc)
PORT ?= 8080
SIP_PORT ?= 5060
# Calls out (call backs, click-to-dial) go here: a softphone or `sipp -sn uas -p 5070`
# on this machine plays the resident's phone.
SIP_DIAL ?= 127.0.0.1:5070
LMTP_PORT ?= 2424
# Mail out goes to a local SMTP sink that keeps each message in var/mail-out/
# (tests/fakes/smtp_sink.py); point SMTP_URL at a real relay instead.
SMTP_PORT ?= 2525
SMTP_URL ?= smtp://127.0.0.1:$(SMTP_PORT)
DATABASE ?= sqlite:var/onestop.db
RELEASE_DIR := build/release
DEBUG_DIR := build/debug

.PHONY: run test deps build-release build-debug bench clean

deps:
	@bash scripts/install-deps.sh

build-release: deps
	@cmake -S . -B $(RELEASE_DIR) -G Ninja -DCMAKE_BUILD_TYPE=Release -DONESTOP_BUILD_TESTS=OFF >/dev/null
	@cmake --build $(RELEASE_DIR) -j $(JOBS) --target onestop

build-debug: deps
	@cmake -S . -B $(DEBUG_DIR) -G Ninja -DCMAKE_BUILD_TYPE=Debug -DONESTOP_SANITIZE=ON >/dev/null
	@cmake --build $(DEBUG_DIR) -j $(JOBS)

run: build-release
	@mkdir -p var
	@$(RELEASE_DIR)/onestop seed-demo --database $(DATABASE) --log-level warn
	@echo
	@echo "onestop is starting on http://127.0.0.1:$(PORT)  (Ctrl-C to stop)"
	@echo "  residents:  http://127.0.0.1:$(PORT)/  (Cymraeg: /?lang=cy)   staff desktop: http://127.0.0.1:$(PORT)/staff/login"
	@echo "  API:        http://127.0.0.1:$(PORT)/api/v1/services   Open311: http://127.0.0.1:$(PORT)/open311/v2/discovery.xml"
	@echo "  health:     http://127.0.0.1:$(PORT)/healthz     metrics: http://127.0.0.1:$(PORT)/metrics"
	@echo "  telephone:  SIP on udp+tcp 127.0.0.1:$(SIP_PORT): ring sip:01632960000@127.0.0.1:$(SIP_PORT) (menu: 1 council tax, 2 bins, 0 anything else)"
	@echo "              phones register as sip:1001@127.0.0.1 (agent@, 1002 agent2@, 1003 agent3@, 1009 supervisor@; SIP password fairhaven-demo)"
	@echo "              calls out (call back with *, Ring on a resident's record) go to sip:NUMBER@$(SIP_DIAL)"
	@echo "  email in:   LMTP on 127.0.0.1:$(LMTP_PORT) for contact@, counciltax@ and enquiries@fairhaven.example"
	@echo "              e.g. swaks --protocol LMTP --server 127.0.0.1 --port $(LMTP_PORT) --to contact@fairhaven.example --from you@example.org"
	@echo "              enquiries@fairhaven.example raises a case and acknowledges it with its reference"
	@echo "  email out:  through $(SMTP_URL): acknowledgements and the case page's replies land in var/mail-out/*.eml"
	@echo
	@if [ "$(SMTP_URL)" = "smtp://127.0.0.1:$(SMTP_PORT)" ]; then /usr/bin/python3 tests/fakes/smtp_sink.py --dir var/mail-out --port $(SMTP_PORT) >/dev/null & fi
	@exec $(RELEASE_DIR)/onestop serve --port $(PORT) --database $(DATABASE) --sip-listen 127.0.0.1:$(SIP_PORT) --sip-dial $(SIP_DIAL) --lmtp-listen 127.0.0.1:$(LMTP_PORT) --smtp-url $(SMTP_URL)

test: build-debug
	@bash scripts/run-tests.sh $(DEBUG_DIR)

bench: build-release
	@bash bench/intake.sh

clean:
	rm -rf build
