// Reports as the admins read them (/api/admin/reports/*): who reported whom, the note, and for
// a message its conversation and the messages around it. What people send is in schemas.ts
// (report:create, ReportsListRequest, ReportResolveRequest).

import { z } from 'zod';

const ReportPerson = z.object({
  id: z.string(),
  username: z.string(),
  /** '' when they chose none: show the username. */
  displayName: z.string(),
});

/** A message of the reported one's conversation, as it is now (edited or deleted included). */
const ReportContextMessage = z.object({
  seq: z.number().int(),
  kind: z.enum(['text', 'system']),
  sender: ReportPerson,
  /** '' once deleted for everyone: the text is gone from the server, reports included. */
  body: z.string(),
  createdAt: z.string(),
  editedAt: z.string().nullable(),
  isDeleted: z.boolean(),
});

const AdminReport = z.object({
  id: z.string(),
  createdAt: z.string(),
  /** '' when the reporter wrote none. */
  note: z.string(),
  /** null: the reporter's account no longer exists. */
  reporter: ReportPerson.nullable(),
  /** For a message: its sender. */
  reportedUser: ReportPerson,
  /** null: a report of a person, not of a message. */
  message: z
    .object({
      conversation: z.object({
        id: z.string(),
        kind: z.enum(['direct', 'group']),
        /** The group's name; for a direct chat, its two people ("alice and bob"). */
        title: z.string(),
      }),
      seq: z.number().int(),
      /**
       * The reported message with up to REPORT_CONTEXT_MESSAGES on each side, in seq order,
       * only from what the reporter could see (their membership's range): admins read no
       * further into a conversation than the person who asked them to.
       */
      context: z.array(ReportContextMessage),
    })
    .nullable(),
  resolvedAt: z.string().nullable(),
  /** null while open, or when that admin's account no longer exists. */
  resolvedBy: ReportPerson.nullable(),
});

export const ReportsPage = z.object({
  ok: z.literal(true),
  reports: z.array(AdminReport),
  /** More reports of this status lie beyond the page (ask with beforeId: the last one's id). */
  hasMore: z.boolean(),
  /** Every open report, whatever page or status was asked: what the console's badge shows. */
  openCount: z.number().int().nonnegative(),
});

export const ReportResolved = z.object({ ok: z.literal(true), report: AdminReport });

export type ReportPerson = z.infer<typeof ReportPerson>;
export type ReportContextMessage = z.infer<typeof ReportContextMessage>;
export type AdminReport = z.infer<typeof AdminReport>;
