#!/usr/bin/env node
// End-to-end test of `stepsim serve` driven by the AWS SDK for JavaScript v3 (@aws-sdk/client-sfn).
//
// Usage: node serve_js_sdk.js STEPSIM NODE_MODULES
// NODE_MODULES is the folder `npm install --prefix DIR @aws-sdk/client-sfn` filled (DIR/node_modules);
// `.ci/run` installs it into build/npm. When the SDK is not there the test is skipped (exit 77), unless
// STEPSIM_REQUIRE_JS_SDK is set (as `.ci/run` sets it): then it fails.
"use strict";

const { spawn } = require("node:child_process");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const readline = require("node:readline");

const [STEPSIM, MODULES] = process.argv.slice(2);
if (!STEPSIM || !MODULES) {
  console.error("usage: serve_js_sdk.js STEPSIM NODE_MODULES");
  process.exit(2);
}

let sfn;
try {
  sfn = require(path.join(path.resolve(MODULES), "@aws-sdk", "client-sfn"));
} catch (e) {
  const how = `npm install --prefix ${path.dirname(path.resolve(MODULES))} @aws-sdk/client-sfn`;
  if (process.env.STEPSIM_REQUIRE_JS_SDK) {
    console.error(`FAIL: @aws-sdk/client-sfn is not installed in ${MODULES} (${e.code || e.message}); ${how}`);
    process.exit(1);
  }
  console.log(`SKIP: @aws-sdk/client-sfn is not installed in ${MODULES}; ${how} (.ci/run does)`);
  process.exit(77);
}

const ROLE = "arn:aws:iam::123456789012:role/test";
const PASS = JSON.stringify({ StartAt: "P", States: { P: { Type: "Pass", Result: { ok: true }, ResultPath: "$.r", End: true } } });
const WAIT = JSON.stringify({ StartAt: "W", States: { W: { Type: "Wait", Seconds: 3600, End: true } } });
const CALLBACK = JSON.stringify({
  StartAt: "Ask",
  States: {
    Ask: {
      Type: "Task", Resource: "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
      Parameters: { QueueUrl: "q", MessageBody: { "token.$": "$$.Task.Token" } }, End: true,
    },
  },
});

const failures = [];
function check(condition, what) {
  console.log((condition ? "ok   " : "FAIL ") + what);
  if (!condition) failures.push(what);
}

/// The commands sent, by name, so the test can show every command the SDK has was sent at least once.
const sent = new Set();

class Server {
  constructor(args) {
    this.args = args;
  }

  /// Starts `stepsim serve --port 0 ARGS` and reads the port from its first line.
  async start() {
    this.proc = spawn(STEPSIM, ["serve", "--port", "0", ...this.args], { stdio: ["ignore", "pipe", "inherit"] });
    this.exited = new Promise((resolve) => this.proc.on("exit", (code, signal) => resolve({ code, signal })));
    const lines = readline.createInterface({ input: this.proc.stdout });
    const first = await new Promise((resolve) => {
      lines.once("line", resolve);
      this.exited.then(() => resolve(""));
    });
    if (!first.startsWith("listening on http://")) throw new Error(`stepsim serve did not start: '${first}'`);
    this.url = first.split(" ").pop();
    this.client = new sfn.SFNClient({
      endpoint: this.url,
      region: "us-east-1",
      credentials: { accessKeyId: "local", secretAccessKey: "local" },
      // StartSyncExecution and TestState have the host prefix "sync-": without this the SDK would call
      // http://sync-127.0.0.1:PORT, which no resolver knows.
      disableHostPrefix: true,
      maxAttempts: 1,
    });
    return this;
  }

  /// Sends `<name>Command` with `input`; resolves to the output.
  async call(name, input) {
    sent.add(name);
    return this.client.send(new sfn[name + "Command"](input));
  }

  /// Sends the command expecting the error `code`; resolves to the error.
  async fails(name, input, code) {
    try {
      await this.call(name, input);
      check(false, `${name} fails with ${code} (it succeeded)`);
      return null;
    } catch (e) {
      check(e.name === code && e.$metadata?.httpStatusCode === 400 && e instanceof sfn.SFNServiceException,
            `${name} fails with ${code} (${e.name}: ${e.message})`);
      return e;
    }
  }

  async waitStatus(executionArn, timeoutMs = 20000) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const d = await this.call("DescribeExecution", { executionArn });
      if (d.status !== "RUNNING" || Date.now() > deadline) return d;
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  async stop(signal = "SIGTERM") {
    this.client.destroy();
    this.proc.kill(signal);
    return this.exited;
  }
}

async function tokenOf(s, executionArn) {
  const h = await s.call("GetExecutionHistory", { executionArn });
  const e = h.events.find((x) => x.type === "TaskScheduled");
  return e ? JSON.parse(e.taskScheduledEventDetails.parameters).MessageBody.token : undefined;
}

async function machines(s) {
  const sm = (await s.call("CreateStateMachine", { name: "Hello", definition: PASS, roleArn: ROLE })).stateMachineArn;
  check(sm === "arn:aws:states:us-east-1:123456789012:stateMachine:Hello", "CreateStateMachine returns the ARN");
  const d = await s.call("DescribeStateMachine", { stateMachineArn: sm });
  check(d.definition === PASS && d.status === "ACTIVE" && d.type === "STANDARD" && d.creationDate instanceof Date,
        "DescribeStateMachine returns the definition, and its creationDate is a Date");
  const bad = await s.fails("CreateStateMachine", { name: "Bad", definition: "{}", roleArn: ROLE }, "InvalidDefinition");
  check(bad instanceof sfn.InvalidDefinition, "the error is the SDK's InvalidDefinition class");
  await s.fails("DescribeStateMachine", { stateMachineArn: sm + "X" }, "StateMachineDoesNotExist");
  await s.fails("DescribeStateMachine", { stateMachineArn: "nope" }, "InvalidArn");
  await s.fails("ListExecutions", { stateMachineArn: sm, maxResults: 1001 }, "ValidationException");
  const v = await s.call("ValidateStateMachineDefinition", { definition: PASS });
  check(v.result === "OK" && v.diagnostics.length === 0, "ValidateStateMachineDefinition: OK");
  const nv = await s.call("ValidateStateMachineDefinition", { definition: '{"StartAt": "Nowhere", "States": {}}' });
  check(nv.result === "FAIL" && nv.diagnostics.length > 0, "ValidateStateMachineDefinition: FAIL with diagnostics");
  const u = await s.call("UpdateStateMachine", { stateMachineArn: sm, definition: PASS, publish: true, versionDescription: "v1" });
  check(u.updateDate instanceof Date && u.stateMachineVersionArn === sm + ":1", "UpdateStateMachine publishes version 1");
  for (const name of ["B", "C", "D", "E"]) await s.call("CreateStateMachine", { name, definition: PASS, roleArn: ROLE });
  const pages = [];
  for await (const page of sfn.paginateListStateMachines({ client: s.client, pageSize: 2 }, {})) pages.push(page);
  sent.add("ListStateMachines");
  check(pages.length === 3 && pages.flatMap((p) => p.stateMachines).length === 5 && !pages[2].nextToken,
        "ListStateMachines pages of 2 by nextToken: 3 pages, 5 machines");
  await s.fails("ListStateMachines", { nextToken: "not-a-token" }, "InvalidToken");
  await s.call("DeleteStateMachine", { stateMachineArn: "arn:aws:states:us-east-1:123456789012:stateMachine:E" });
  await s.fails("DescribeStateMachine", { stateMachineArn: "arn:aws:states:us-east-1:123456789012:stateMachine:E" },
                "StateMachineDoesNotExist");
  return sm;
}

async function executions(s, sm) {
  const ex = (await s.call("StartExecution", { stateMachineArn: sm, name: "one", input: '{"a": 1}' })).executionArn;
  const d = await s.waitStatus(ex);
  check(d.status === "SUCCEEDED" && JSON.stringify(JSON.parse(d.output)) === '{"a":1,"r":{"ok":true}}',
        "StartExecution runs to SUCCEEDED with the right output");
  check(d.startDate instanceof Date && d.stopDate instanceof Date && d.stopDate >= d.startDate, "the dates are Dates");
  await s.fails("StartExecution", { stateMachineArn: sm, name: "one", input: '{"a": 2}' }, "ExecutionAlreadyExists");
  await s.fails("StartExecution", { stateMachineArn: sm, input: "{nope" }, "InvalidExecutionInput");
  await s.fails("StartExecution", { stateMachineArn: sm + "X" }, "StateMachineDoesNotExist");
  await s.fails("DescribeExecution", { executionArn: ex + "X" }, "ExecutionDoesNotExist");
  const h = await s.call("GetExecutionHistory", { executionArn: ex });
  const types = h.events.map((e) => e.type);
  check(JSON.stringify(types) === '["ExecutionStarted","PassStateEntered","PassStateExited","ExecutionSucceeded"]',
        `GetExecutionHistory: ${types}`);
  check(h.events.every((e) => e.timestamp instanceof Date), "history timestamps are Dates");
  const ids = [];
  for await (const page of sfn.paginateGetExecutionHistory({ client: s.client, pageSize: 3 },
                                                           { executionArn: ex, reverseOrder: true }))
    ids.push(page.events.map((e) => e.id));
  check(JSON.stringify(ids) === "[[4,3,2],[1]]", `GetExecutionHistory pages in reverse by nextToken: ${JSON.stringify(ids)}`);
  const forEx = await s.call("DescribeStateMachineForExecution", { executionArn: ex });
  check(forEx.stateMachineArn === sm && forEx.definition === PASS, "DescribeStateMachineForExecution");

  for (let i = 0; i < 6; ++i) await s.call("StartExecution", { stateMachineArn: sm, name: `run-${i}` });
  let listed = 0;
  let pageCount = 0;
  for await (const page of sfn.paginateListExecutions({ client: s.client, pageSize: 3 }, { stateMachineArn: sm })) {
    listed += page.executions.length;
    ++pageCount;
  }
  check(listed === 7 && pageCount === 3, `ListExecutions pages of 3 by nextToken: ${listed} executions in ${pageCount} pages`);
  const first = await s.call("ListExecutions", { stateMachineArn: sm, maxResults: 2 });
  check(first.executions.length === 2 && typeof first.nextToken === "string", "ListExecutions maxResults 2 gives a nextToken");
  const maps = await s.call("ListMapRuns", { executionArn: ex });
  check(Array.isArray(maps.mapRuns) && maps.mapRuns.length === 0, "ListMapRuns: none (no distributed Map)");
  const mapRun = `arn:aws:states:us-east-1:123456789012:mapRun:Hello/one:m`;
  await s.fails("DescribeMapRun", { mapRunArn: mapRun }, "ResourceNotFound");
  await s.fails("UpdateMapRun", { mapRunArn: mapRun, maxConcurrency: 2 }, "ResourceNotFound");
  // A SUCCEEDED execution is not redrivable (AWS redrives FAILED, TIMED_OUT and ABORTED ones only).
  await s.fails("RedriveExecution", { executionArn: ex }, "ExecutionNotRedrivable");

  const slow = (await s.call("CreateStateMachine", { name: "Slow", definition: WAIT, roleArn: ROLE })).stateMachineArn;
  const running = (await s.call("StartExecution", { stateMachineArn: slow })).executionArn;
  check((await s.call("DescribeExecution", { executionArn: running })).status === "RUNNING",
        "a Wait of an hour is RUNNING in real time");
  const stopped = await s.call("StopExecution", { executionArn: running, error: "Stopped", cause: "by test" });
  check(stopped.stopDate instanceof Date, "StopExecution returns its stopDate");
  const a = await s.call("DescribeExecution", { executionArn: running });
  check(a.status === "ABORTED" && a.error === "Stopped" && a.cause === "by test", "StopExecution aborts it");
  const aborted = await s.call("ListExecutions", { stateMachineArn: slow, statusFilter: "ABORTED" });
  check(aborted.executions.length === 1 && aborted.executions[0].executionArn === running, "ListExecutions statusFilter ABORTED");

  const express = (await s.call("CreateStateMachine", { name: "Express", definition: PASS, roleArn: ROLE, type: "EXPRESS" }))
      .stateMachineArn;
  const r = await s.call("StartSyncExecution", { stateMachineArn: express, input: '{"x": 1}' });
  check(r.status === "SUCCEEDED" && JSON.stringify(JSON.parse(r.output)) === '{"x":1,"r":{"ok":true}}' &&
        r.executionArn.startsWith("arn:aws:states:us-east-1:123456789012:express:Express:") && r.stopDate instanceof Date,
        "StartSyncExecution returns the result of the EXPRESS machine");
  await s.fails("StartSyncExecution", { stateMachineArn: sm }, "StateMachineTypeNotSupported");
  const t = await s.call("TestState", { definition: JSON.stringify({ Type: "Pass", Result: 1, End: true }), roleArn: ROLE });
  check(t.status === "SUCCEEDED" && t.output === "1", "TestState runs one state");
}

async function callbacks(s) {
  const cb = (await s.call("CreateStateMachine", { name: "Callback", definition: CALLBACK, roleArn: ROLE })).stateMachineArn;
  const ex = (await s.call("StartExecution", { stateMachineArn: cb })).executionArn;
  let token;
  for (let i = 0; i < 100 && !token; ++i) token = await tokenOf(s, ex);
  check(typeof token === "string", "the waitForTaskToken Task's token is in its TaskScheduled event");
  await s.fails("SendTaskSuccess", { taskToken: "made-up", output: "{}" }, "InvalidToken");
  await s.call("SendTaskHeartbeat", { taskToken: token });
  await s.fails("SendTaskSuccess", { taskToken: token, output: "{not json" }, "InvalidOutput");
  await s.call("SendTaskSuccess", { taskToken: token, output: '{"answer": 42}' });
  const d = await s.waitStatus(ex);
  check(d.status === "SUCCEEDED" && d.output === '{"answer":42}', "SendTaskSuccess completes the execution with its output");
  await s.fails("SendTaskSuccess", { taskToken: token, output: "{}" }, "TaskTimedOut");
}

async function activities(s) {
  const act = (await s.call("CreateActivity", { name: "work" })).activityArn;
  check(act === "arn:aws:states:us-east-1:123456789012:activity:work", "CreateActivity returns the ARN");
  const am = (await s.call("CreateStateMachine", {
    name: "Act", roleArn: ROLE,
    definition: JSON.stringify({ StartAt: "T", States: { T: { Type: "Task", Resource: act, End: true } } }),
  })).stateMachineArn;
  // The long poll first, the execution second: GetActivityTask answers when the task arrives.
  const poll = s.call("GetActivityTask", { activityArn: act, workerName: "w1" });
  const ex1 = (await s.call("StartExecution", { stateMachineArn: am, input: '{"job": 1}' })).executionArn;
  const t1 = await poll;
  check(t1.input === '{"job":1}' && typeof t1.taskToken === "string", "GetActivityTask (long poll) hands out the input");
  await s.call("SendTaskSuccess", { taskToken: t1.taskToken, output: '{"done": 1}' });
  check((await s.waitStatus(ex1)).output === '{"done":1}', "the activity worker's SendTaskSuccess completes it");
  await s.fails("SendTaskSuccess", { taskToken: t1.taskToken, output: "{}" }, "TaskDoesNotExist");

  const ex2 = (await s.call("StartExecution", { stateMachineArn: am, input: '{"job": 2}' })).executionArn;
  const t2 = await s.call("GetActivityTask", { activityArn: act, workerName: "w2" });
  await s.call("SendTaskFailure", { taskToken: t2.taskToken, error: "Worker.Failed", cause: "no" });
  const d = await s.waitStatus(ex2);
  check(d.status === "FAILED" && d.error === "Worker.Failed" && d.cause === "no", "SendTaskFailure fails it");

  const list = await s.call("ListActivities", {});
  check(list.activities.length === 1 && list.activities[0].creationDate instanceof Date, "ListActivities");
  check((await s.call("DescribeActivity", { activityArn: act })).name === "work", "DescribeActivity");
  await s.call("TagResource", { resourceArn: act, tags: [{ key: "team", value: "a" }, { key: "env", value: "test" }] });
  await s.call("UntagResource", { resourceArn: act, tagKeys: ["env"] });
  const tags = await s.call("ListTagsForResource", { resourceArn: act });
  check(JSON.stringify(tags.tags) === '[{"key":"team","value":"a"}]', "TagResource, UntagResource, ListTagsForResource");
  await s.call("DeleteActivity", { activityArn: act });
  await s.fails("DescribeActivity", { activityArn: act }, "ActivityDoesNotExist");
}

async function versionsAndAliases(s, sm) {
  const same = (await s.call("PublishStateMachineVersion", { stateMachineArn: sm })).stateMachineVersionArn;
  check(same === sm + ":1", "PublishStateMachineVersion of an unchanged machine gives its latest version again");
  await s.call("UpdateStateMachine", { stateMachineArn: sm, definition: PASS.replace('"ok":true', '"ok":2') });
  const v2 = (await s.call("PublishStateMachineVersion", { stateMachineArn: sm, description: "second" })).stateMachineVersionArn;
  check(v2 === sm + ":2", `PublishStateMachineVersion after an update: version 2 (${v2})`);
  const versions = await s.call("ListStateMachineVersions", { stateMachineArn: sm });
  check(versions.stateMachineVersions.map((x) => x.stateMachineVersionArn).join() === `${sm}:2,${sm}:1`,
        "ListStateMachineVersions, newest first");
  const alias = (await s.call("CreateStateMachineAlias", {
    name: "live", routingConfiguration: [{ stateMachineVersionArn: v2, weight: 100 }],
  })).stateMachineAliasArn;
  check(alias === sm + ":live", "CreateStateMachineAlias returns the alias ARN");
  await s.call("UpdateStateMachineAlias", {
    stateMachineAliasArn: alias, description: "all on 1", routingConfiguration: [{ stateMachineVersionArn: sm + ":1", weight: 100 }],
  });
  const da = await s.call("DescribeStateMachineAlias", { stateMachineAliasArn: alias });
  check(da.description === "all on 1" && da.routingConfiguration[0].stateMachineVersionArn === sm + ":1",
        "UpdateStateMachineAlias, DescribeStateMachineAlias");
  const viaAlias = (await s.call("StartExecution", { stateMachineArn: alias, name: "via-alias" })).executionArn;
  const d = await s.waitStatus(viaAlias);
  check(d.stateMachineAliasArn === alias && d.stateMachineVersionArn === sm + ":1", "an execution started on the alias runs version 1");
  check((await s.call("ListStateMachineAliases", { stateMachineArn: sm })).stateMachineAliases.length === 1, "ListStateMachineAliases");
  await s.call("DeleteStateMachineAlias", { stateMachineAliasArn: alias });
  await s.fails("DescribeStateMachineAlias", { stateMachineAliasArn: alias }, "ResourceNotFound");
  await s.call("DeleteStateMachineVersion", { stateMachineVersionArn: v2 });
  check((await s.call("ListStateMachineVersions", { stateMachineArn: sm })).stateMachineVersions.length === 1,
        "DeleteStateMachineVersion");
}

/// kill -9 and restart with --data: nothing finished is lost; what was running comes back ABORTED.
async function restart() {
  const data = fs.mkdtempSync(path.join(os.tmpdir(), "stepsim-serve-js-"));
  try {
    let s = await new Server(["--data", data]).start();
    const sm = (await s.call("CreateStateMachine", { name: "Kept", definition: PASS, roleArn: ROLE })).stateMachineArn;
    const done = [];
    for (let i = 0; i < 5; ++i) done.push((await s.call("StartExecution", { stateMachineArn: sm, name: `done-${i}` })).executionArn);
    for (const ex of done) await s.waitStatus(ex);
    const slow = (await s.call("CreateStateMachine", { name: "Slow", definition: WAIT, roleArn: ROLE })).stateMachineArn;
    const running = (await s.call("StartExecution", { stateMachineArn: slow, name: "running" })).executionArn;
    const killed = await s.stop("SIGKILL");
    check(killed.signal === "SIGKILL", "stepsim serve is killed by SIGKILL");
    s = await new Server(["--data", data]).start();
    try {
      check((await s.call("DescribeStateMachine", { stateMachineArn: sm })).definition === PASS, "the machine survives kill -9");
      let kept = 0;
      for (const ex of done) {
        const d = await s.call("DescribeExecution", { executionArn: ex });
        const h = await s.call("GetExecutionHistory", { executionArn: ex });
        if (d.status === "SUCCEEDED" && d.output === '{"r":{"ok":true}}' && h.events.length === 4) ++kept;
      }
      check(kept === done.length, `every finished execution survives kill -9 with its output and history (${kept}/${done.length})`);
      const d = await s.call("DescribeExecution", { executionArn: running });
      check(d.status === "ABORTED" && d.error === "stepsim.ServerRestarted", "a running execution comes back ABORTED");
      const all = await s.call("ListExecutions", { stateMachineArn: sm });
      check(all.executions.length === done.length, "ListExecutions after the restart lists them all");
    } finally {
      const e = await s.stop();
      check(e.code === 0, "stepsim serve exits 0 on SIGTERM");
    }
  } finally {
    fs.rmSync(data, { recursive: true, force: true });
  }
}

async function main() {
  const s = await new Server([]).start();
  try {
    const sm = await machines(s);
    await executions(s, sm);
    await callbacks(s);
    await activities(s);
    await versionsAndAliases(s, sm);
    await s.call("TagResource", { resourceArn: sm, tags: [{ key: "k", value: "v" }] });
  } finally {
    const e = await s.stop();
    check(e.code === 0, "stepsim serve exits 0 on SIGTERM");
  }
  await restart();
  const commands = Object.keys(sfn).filter((k) => /^[A-Z]\w+Command$/.test(k)).map((k) => k.slice(0, -7));
  const missing = commands.filter((c) => !sent.has(c));
  check(missing.length === 0, `every command of the SDK (${commands.length}) was sent at least once; not sent: [${missing}]`);
}

main().then(
  () => {
    if (failures.length) {
      console.error(`FAIL: ${failures.length} check(s) failed`);
      process.exit(1);
    }
    console.log("all checks passed");
  },
  (e) => {
    console.error("FAIL:", e);
    process.exit(1);
  });
