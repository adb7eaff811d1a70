/** Golden SQL that changes the queue: built with `drizzle.mock()`, T-SQL text and parameters asserted (no server needed). */
import { describe, expect, it } from "bun:test";
import * as queue from "../../../../../src/storage/mssql/queries/queue";
import { mock as db, render } from "../golden";

describe("mssql queries/queue", () => {
  describe("when passengers are seated", () => {
    const row = {
      client: "acme", id: "e1", definition: "d1", externalId: "x1", sourceSystem: "mail", pulledAt: "P", puller: "p",
      payload: "{}", logIds: "[]", seatedAt: "S", completedAt: null, state: "pending", dueAt: "", instanceId: "i1",
    };

    it("inserts unless the source item is queued, under updlock/holdlock, returning output inserted", () => {
      const q = render(queue.insertEntryUnlessDuplicate(db, row));
      expect(q.sql).toBe(
        "insert into [queue_entries] ([client], [id], [definition], [external_id], [source_system], [pulled_at], [puller], [payload], [log_ids], [seated_at], [completed_at], [state], [due_at], [instance_id]) output inserted.[id] select @par0, @par1, @par2, @par3, @par4, @par5, @par6, @par7, @par8, @par9, @par10, @par11, @par12, @par13 where not exists ( select 1 from [queue_entries] with (updlock, holdlock) where [client] = @par14 and [source_system] = @par15 and [external_id] = @par16 )",
      );
      expect(q.params).toEqual(["acme", "e1", "d1", "x1", "mail", "P", "p", "{}", "[]", "S", null, "pending", "", "i1", "acme", "mail", "x1"]);
    });
  });

  describe("when a step changes", () => {
    it("updates only from the state it read, and says so with output inserted", () => {
      const step = { client: "acme", entryId: "e1", position: 2, kind: "pusher", name: "n", state: "failed", attempts: 3, lastError: "boom", nextAttemptAt: "N", updatedAt: "U" };
      expect(render(queue.updateStepIfState(db, "acme", "e1", step, "pending"))).toEqual({
        sql: "update [step_statuses] set [state] = @par0, [attempts] = @par1, [last_error] = @par2, [next_attempt_at] = @par3, [updated_at] = @par4 output INSERTED.[position] where (([step_statuses].[client] = @par5) and ([step_statuses].[entry_id] = @par6) and ([step_statuses].[position] = @par7) and ([step_statuses].[state] = @par8))",
        params: ["failed", 3, "boom", "N", "U", "acme", "e1", 2, "pending"],
      });
    });

    it("links a log once, with json_modify and output inserted", () => {
      const q = render(queue.appendLogId(db, "acme", "e1", "L1"));
      expect(q.sql).toContain("when exists (select 1 from openjson([log_ids]) where [value] = @par0) then [log_ids] else json_modify([log_ids], 'append $', @par1) end output inserted.[id] where [client] = @par2 and [id] = @par3");
      expect(q.params).toEqual(["L1", "L1", "acme", "e1"]);
    });
  });

  describe("when completed entries are purged", () => {
    it("picks a bounded batch of complete entries completed before the cutoff", () => {
      expect(render(queue.selectPurgeBatch(db, "acme", "d1", "B", 500))).toEqual({
        sql: "select [id] from [queue_entries] where (([queue_entries].[client] = @par0) and ([queue_entries].[definition] = @par1) and ([queue_entries].[state] = @par2) and ([queue_entries].[completed_at] < @par3)) order by [queue_entries].[completed_at], [queue_entries].[id] offset @par4 rows fetch next @par5 rows only",
        params: ["acme", "d1", "complete", "B", 0, 500],
      });
    });

    it("deletes the batch and counts it with output deleted", () => {
      expect(render(queue.deleteEntries(db, "acme", ["a", "b"]))).toEqual({
        sql: "delete from [queue_entries] output DELETED.[id] where (([queue_entries].[client] = @par0) and ([queue_entries].[id] in (@par1, @par2)))",
        params: ["acme", "a", "b"],
      });
    });
  });
});
