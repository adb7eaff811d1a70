/** Golden SQL that reads the queue: built with `drizzle.mock()`, T-SQL text and parameters asserted (no server needed). */
import { describe, expect, it } from "bun:test";
import * as entries from "../../../../../src/storage/mssql/queries/entries";
import { mock as db, render } from "../golden";

describe("mssql queries/entries", () => {
  describe("when a page of the queue is listed", () => {
    it("pages with offset … rows fetch next … rows only, newest first, ties by id", () => {
      const q = render(entries.selectEntryPage(db, "acme", { definition: "d1", state: "failed" }, 20, 10, false));
      expect(q.sql).toBe(
        "select [id] from [queue_entries] where (([queue_entries].[client] = @par0) and ([queue_entries].[definition] = @par1) and ([queue_entries].[state] = @par2)) order by [queue_entries].[seated_at] desc, [queue_entries].[id] desc offset @par3 rows fetch next @par4 rows only",
      );
      expect(q.params).toEqual(["acme", "d1", "failed", 20, 10]);
    });

    it("sorts oldest first when asked", () => {
      expect(render(entries.selectEntryPage(db, "acme", {}, 0, 5, true)).sql).toContain(
        "order by [queue_entries].[seated_at] asc, [queue_entries].[id] asc offset @par1 rows fetch next @par2 rows only",
      );
    });

    it("passes the text filter as a parameter with LIKE wildcards escaped, never in the SQL", () => {
      const q = render(entries.selectEntryPage(db, "acme", { text: "50%_'; drop table x" }, 0, 10, false));
      expect(q.sql).toContain("((lower([queue_entries].[external_id]) like @par1) or (lower([queue_entries].[source_system]) like @par2))");
      expect(q.sql).not.toContain("drop table");
      expect(q.params.slice(1, 3)).toEqual(["%50[%][_]'; drop table x%", "%50[%][_]'; drop table x%"]);
    });

    it("counts the same filter", () => {
      expect(render(entries.countEntryPage(db, "acme", { state: "dead" }))).toEqual({
        sql: "select count(*) from [queue_entries] where (([queue_entries].[client] = @par0) and ([queue_entries].[state] = @par1))",
        params: ["acme", "dead"],
      });
    });

    it("counts by state in one grouped query", () => {
      expect(render(entries.countByState(db, "acme", "d1"))).toEqual({
        sql: "select [state], count(*) from [queue_entries] where (([queue_entries].[client] = @par0) and ([queue_entries].[definition] = @par1)) group by [queue_entries].[state]",
        params: ["acme", "d1"],
      });
    });

    it("lists attachments without their content", () => {
      const q = render(entries.selectAttachmentInfos(db, "acme", ["e1"]));
      expect(q.sql).toBe(
        "select [entry_id], [name], [media_type], [size], [is_text] from [attachments] where (([attachments].[client] = @par0) and ([attachments].[entry_id] in (@par1))) order by [attachments].[entry_id], [attachments].[position]",
      );
      expect(q.sql).not.toContain("[content]");
    });
  });

  describe("when attachment contents are read (#5)", () => {
    it("reads the content of the one attachment asked for, by client, entry and name", () => {
      expect(render(entries.selectAttachment(db, "acme", "e1", "invoice.pdf"))).toEqual({
        sql: "select [client], [entry_id], [position], [name], [media_type], [size], [is_text], [content] from [attachments] where (([attachments].[client] = @par0) and ([attachments].[entry_id] = @par1) and ([attachments].[name] = @par2))",
        params: ["acme", "e1", "invoice.pdf"],
      });
    });

    it("reads contents of one entry only for the full passenger, in passenger order", () => {
      expect(render(entries.selectAttachmentContents(db, "acme", "e1"))).toEqual({
        sql: "select [client], [entry_id], [position], [name], [media_type], [size], [is_text], [content] from [attachments] where (([attachments].[client] = @par0) and ([attachments].[entry_id] = @par1)) order by [attachments].[position]",
        params: ["acme", "e1"],
      });
    });
  });

  describe("when the dispatcher asks what is due", () => {
    it("selects by the derived due time, oldest first, with fetch next", () => {
      expect(render(entries.selectDue(db, "acme", "d1", "2024-05-01T10:00:00.000Z", 5))).toEqual({
        sql: "select [id] from [queue_entries] where (([queue_entries].[client] = @par0) and ([queue_entries].[definition] = @par1) and ([queue_entries].[due_at] <= @par2)) order by [queue_entries].[seated_at], [queue_entries].[id] offset @par3 rows fetch next @par4 rows only",
        params: ["acme", "d1", "2024-05-01T10:00:00.000Z", 0, 5],
      });
    });
  });

  describe("when a step changes", () => {
    it("locks the entry row for the transaction", () => {
      expect(render(entries.lockEntry(db, "acme", "e1"))).toEqual({
        sql: "select [queue_entries].[id] from [queue_entries] with (updlock, rowlock) where (([queue_entries].[client] = @par0) and ([queue_entries].[id] = @par1))",
        params: ["acme", "e1"],
      });
    });
  });
});
