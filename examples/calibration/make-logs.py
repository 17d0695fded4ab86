#!/usr/bin/env python3
"""Writes checkout.log: CloudWatch Logs text of a Lambda function named
checkout (512 MB), 400 invocations, as `aws logs tail` prints them. Init and
run durations are lognormal (init median 420 ms, sigma 0.25; run median 85 ms,
sigma 0.35); one invocation in eight is a cold start; two lines are broken on
purpose (calibrate reports and skips them). Deterministic: seeded."""
import math
import random
import uuid

rng = random.Random(2024)
t = 1714557600.0  # 2024-05-01T10:00:00Z
lines = []
for i in range(400):
    rid = str(uuid.UUID(int=rng.getrandbits(128), version=4))
    cold = i % 8 == 0
    init = rng.lognormvariate(math.log(420), 0.25) if cold else None
    run = rng.lognormvariate(math.log(85), 0.35)
    stamp = lambda s: __import__("datetime").datetime.utcfromtimestamp(s).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"
    stream = "2024/05/01/[$LATEST]5d0c6f0a9b8e4c1d"
    lines.append(f"{stamp(t)} {stream} START RequestId: {rid} Version: $LATEST")
    lines.append(f"{stamp(t + 0.001)} {stream} processing order {i}")
    lines.append(f"{stamp(t + run / 1000)} {stream} END RequestId: {rid}")
    report = (f"REPORT RequestId: {rid}\tDuration: {run:.2f} ms\tBilled Duration: {math.ceil(run)} ms\t"
              f"Memory Size: 512 MB\tMax Memory Used: {rng.randint(70, 90)} MB\t")
    if cold:
        report += f"Init Duration: {init:.2f} ms\t"
    if i in (100, 300):
        report = report.replace(" ms\tBilled", " sec\tBilled")  # broken on purpose
    lines.append(f"{stamp(t + run / 1000)} {stream} {report}")
    t += rng.expovariate(1 / 30)
with open("checkout.log", "w") as f:
    f.write("\n".join(lines) + "\n")
