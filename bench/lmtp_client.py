#!/usr/bin/python3
"""LMTP load for bench/lmtp.sh: SESSIONS connections, each delivering its
share of MESSAGES messages of SIZE bytes one after another, each from its
own sender (LMTP answers
per recipient only once the message is durable), to MAILBOX on HOST:PORT.
Prints one JSON line: messages, failures, seconds, per-message latency
p50/p99 in ms."""
import json
import smtplib
import sys
import threading
import time


def main():
    host, port, sessions, messages, size, mailbox = (sys.argv[1], int(sys.argv[2]), int(sys.argv[3]),
                                                    int(sys.argv[4]), int(sys.argv[5]), sys.argv[6])
    filler = ("The bin on Harbour Road was not emptied again this week. " * (size // 50 + 1))[:size]
    latencies = []
    failures = [0]
    lock = threading.Lock()

    def worker(index, count):
        conn = smtplib.LMTP(host, port)
        mine = []
        bad = 0
        for n in range(count):
            # A sender per message: automatic replies are limited per address.
            sender = "resident%d.%d@example.org" % (index, n)
            body = ("From: Resident %d <%s>\r\nTo: %s\r\nSubject: Bench %d-%d\r\n"
                    "Message-Id: <bench.%d.%d@example.org>\r\n\r\n%s\r\n") % (
                        index, sender, mailbox, index, n, index, n, filler)
            t0 = time.perf_counter()
            try:
                refused = conn.sendmail(sender, [mailbox], body)
                if refused:
                    bad += 1
            except smtplib.SMTPException:
                bad += 1
            mine.append(time.perf_counter() - t0)
        conn.quit()
        with lock:
            latencies.extend(mine)
            failures[0] += bad

    per = messages // sessions
    threads = [threading.Thread(target=worker, args=(i, per)) for i in range(sessions)]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - start
    latencies.sort()
    pick = lambda q: latencies[min(len(latencies) - 1, int(q * len(latencies)))] * 1000
    print(json.dumps({"messages": per * sessions, "failures": failures[0], "seconds": round(elapsed, 3),
                      "p50_ms": round(pick(0.50), 2), "p99_ms": round(pick(0.99), 2)}))


if __name__ == "__main__":
    main()
