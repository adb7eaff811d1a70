/**
 * Test support for export/import: a client holding one of everything an archive carries (backups,
 * files, users, entries in every state with text and binary attachments, logs), and a snapshot of a
 * client read back through the contract so two clients can be compared field by field.
 */
import { initialSteps } from "../../../../src/core/queue-entry";
import { uuidv7 } from "../../../../src/core/ids";
import type { Database } from "../../../../src/storage/database";

export const HOSTILE = `<script>alert("x")</script>`;
const T = (minute: number) => new Date(Date.parse("2025-01-10T08:00:00.000Z") + minute * 60_000).toISOString();
const hash = (pw: string) => Bun.password.hash(pw, { algorithm: "argon2id", memoryCost: 1024, timeCost: 1 });

export const BINARY = Uint8Array.from({ length: 256 }, (_, i) => i);

export async function configText(client: string, version: number): Promise<string> {
  const users = [
    { username: "ann", role: "administrator", password_hash: await hash("ann-pw") },
    { username: "otto", role: "operator", password_hash: await hash("otto-pw") },
  ];
  // Odd spacing on purpose: an import must keep the text exactly.
  return `{ "log_life_span": ${30 + version},\n  "passengers": [ { "name": "${client}/invoice", "pullers": ["databus/demo/puller_1"] } ],\n  "users": ${JSON.stringify(users)} }\n`;
}

/** Creates `client` with backups, files, users, five entries (pending, failed, dead, complete, skipped) and three logs. */
export async function fillClient(db: Database, client: string): Promise<void> {
  await db.createClient(client, `{ "passengers": [] }\n`);
  await db.writeConfig(client, `{ "passengers": [], "log_life_span": 2 }\n`);
  await db.writeConfig(client, await configText(client, 0));
  await db.writeClientFile(client, "mapping.csv", "a;b\n1;2\n");
  await db.writeClientFile(client, "hostile.txt", HOSTILE);

  const puller = "databus/demo/puller_1";
  const requests = ["pending", "failed", "dead", "complete", "skipped"].map((name, i) => {
    const at = T(i);
    return {
      passenger: {
        id: uuidv7(Date.parse(at)),
        type: `${client}/invoice`,
        external_id: `INV-${name}`,
        source_system: name === "pending" ? HOSTILE : "mailbox",
        pulled_at: at,
        puller,
        payload: { name, amount: i * 10.5, nested: { list: [1, "two", null] } },
        log_ids: [],
        attachments: [
          { name: "note.txt", content: `text of ${name} ✓ ${HOSTILE}`, media_type: "text/plain" },
          { name: "blob.bin", content: BINARY, media_type: "application/octet-stream" },
        ],
      },
      steps: initialSteps(puller, ["acme/processor"], ["acme/pusher"], at),
    };
  });
  const { seated } = await db.seat(client, requests);
  const [, failed, dead, complete, skipped] = seated.map((e) => e.passenger.id);
  await db.updateStep(client, failed!, 0, { action: "fail", at: T(10), error: "mailbox down", nextAttemptAt: T(20) });
  await db.updateStep(client, dead!, 0, { action: "succeed", at: T(11) });
  await db.updateStep(client, dead!, 1, { action: "fail", at: T(12), error: "gave up", nextAttemptAt: null });
  for (const [step, minute] of [[0, 13], [1, 14], [2, 15]] as const) await db.updateStep(client, complete!, step, { action: "succeed", at: T(minute) });
  await db.updateStep(client, skipped!, 0, { action: "succeed", at: T(16) });
  await db.updateStep(client, skipped!, 1, { action: "skip", at: T(17) });
  await db.updateStep(client, skipped!, 2, { action: "skip", at: T(18) });

  const run = uuidv7(Date.parse(T(30)));
  await db.createLog(client, { origin: "run", id: run, at: T(30), title: `run ${client}/invoice`, definition: `${client}/invoice` });
  await db.appendLog(client, run, [
    { at: T(30), level: "info", source: "dispatcher", message: "started" },
    { at: T(31), level: "error", source: "acme/pusher", message: HOSTILE },
  ]);
  await db.finishLog(client, run, T(32), { pulled: 5, seated: 5, delivered: 1, failed: 2 });
  await db.linkLog(client, complete!, run);
  const big = uuidv7(Date.parse(T(40)));
  await db.createLog(client, { origin: "run", id: big, at: T(40), title: "a long run", definition: null });
  await db.appendLog(client, big, Array.from({ length: 1203 }, (_, i) => ({ at: T(40), level: "warning" as const, source: "x", message: `line ${i}` })));
  const unfinished = uuidv7(Date.parse(T(50)));
  await db.createLog(client, { origin: "run", id: unfinished, at: T(50), title: "crashed run", definition: `${client}/invoice` });
}

/** Everything the contract shows of a client, in a stable order, binary contents as base64. */
export async function snapshotClient(db: Database, client: string) {
  const backups = [];
  for (const b of (await db.listConfigBackups(client)).reverse()) backups.push(await db.readConfigBackup(client, b.id));
  const files: Record<string, string | undefined> = {};
  for (const name of await db.listClientFiles(client)) files[name] = await db.readClientFile(client, name);
  const { entries } = await db.listEntries(client, {}, { offset: 0, limit: 1000 }, "seated_at");
  const full = [];
  for (const e of entries) {
    const p = await db.getPassenger(client, e.passenger.id);
    const attachments = p.attachments.map((a) => ({
      name: a.name,
      media_type: a.media_type,
      content: typeof a.content === "string" ? a.content : { base64: Buffer.from(a.content).toString("base64") },
    }));
    full.push({ ...e, attachments: e.attachments, contents: attachments });
  }
  const { logs } = await db.listLogs(client, {}, { offset: 0, limit: 1000 });
  const fullLogs = [];
  for (const l of logs) fullLogs.push(await db.readLog(client, l.id));
  return {
    config: await db.readConfig(client),
    backups,
    files,
    users: await db.listUsers(client),
    counts: await db.countEntries(client),
    entries: full,
    logs: fullLogs,
  };
}
