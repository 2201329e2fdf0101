'use client';
// The admins' reports: open or resolved, newest first, a page at a time. A reported message
// is shown among the messages around it (as far as the reporter could see), so that it can be
// judged in its context; resolving records who did it and when.

import { useCallback, useEffect, useRef, useState } from 'react';
import type { AdminReport, ReportContextMessage, ReportPerson } from '../protocol';
import { callApi, type ApiResult } from '../hooks/api';
import { formatFull } from './format-time';
import controls from './controls.module.css';
import styles from './admin-reports.module.css';

type Status = 'open' | 'resolved';

interface Listing {
  reports: AdminReport[];
  hasMore: boolean;
}

export function AdminReports() {
  const [status, setStatus] = useState<Status>('open');
  const [listing, setListing] = useState<Listing | null>(null);
  const [openCount, setOpenCount] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [isBusy, setIsBusy] = useState(false);
  /** The status last asked for: a slower answer for the other one is dropped. */
  const shown = useRef<Status>('open');

  /** Shows a page: the first one, or the one after `beforeId` added to what is shown. */
  const apply = useCallback(
    (which: Status, result: ApiResult<'listReports'>, beforeId?: string) => {
      if (which !== shown.current) return;
      if (!result.ok) {
        setError(result.message);
        return;
      }
      setOpenCount(result.openCount);
      setListing((current) => ({
        reports: beforeId && current ? [...current.reports, ...result.reports] : result.reports,
        hasMore: result.hasMore,
      }));
    },
    [],
  );

  useEffect(() => {
    void fetchPage('open').then((result) => apply('open', result));
  }, [apply]);

  async function load(which: Status, beforeId?: string) {
    shown.current = which;
    setIsBusy(true);
    setError(null);
    const result = await fetchPage(which, beforeId);
    setIsBusy(false);
    apply(which, result, beforeId);
  }

  function show(which: Status) {
    if (which === status) return;
    setStatus(which);
    setListing(null);
    void load(which);
  }

  async function resolve(report: AdminReport) {
    setError(null);
    const result = await callApi('resolveReport', { reportId: report.id });
    if (!result.ok) {
      setError(result.message);
      return;
    }
    // It stays in view, resolved, until the list is loaded again: the admin sees it took.
    setListing(
      (current) =>
        current && {
          ...current,
          reports: current.reports.map((item) => (item.id === report.id ? result.report : item)),
        },
    );
    if (report.resolvedAt === null) setOpenCount((count) => (count ? count - 1 : count));
  }

  const last = listing?.reports.at(-1);
  return (
    <div className={styles.reports} data-testid="admin-reports">
      <div className={styles.toolbar}>
        <div className={styles.filter} role="group" aria-label="Show">
          {(['open', 'resolved'] as const).map((which) => (
            <button
              key={which}
              type="button"
              className={styles.filterButton}
              aria-pressed={status === which}
              onClick={() => show(which)}
            >
              {which === 'open' ? `Open${openCount === null ? '' : ` (${openCount})`}` : 'Resolved'}
            </button>
          ))}
        </div>
        <button
          type="button"
          className={controls.quietButton}
          onClick={() => void load(status)}
          disabled={isBusy}
        >
          Refresh
        </button>
      </div>
      {error && (
        <p className={controls.formError} role="alert">
          {error}
        </p>
      )}
      {listing && listing.reports.length === 0 && (
        <p className={styles.empty}>
          {status === 'open' ? 'No open reports.' : 'No resolved reports yet.'}
        </p>
      )}
      <ul
        className={styles.list}
        aria-label={status === 'open' ? 'Open reports' : 'Resolved reports'}
      >
        {listing?.reports.map((report) => (
          <ReportCard key={report.id} report={report} onResolve={() => resolve(report)} />
        ))}
      </ul>
      {listing?.hasMore && last && (
        <button
          type="button"
          className={controls.quietButton}
          onClick={() => void load(status, last.id)}
          disabled={isBusy}
        >
          Show older reports
        </button>
      )}
    </div>
  );
}

function fetchPage(status: Status, beforeId?: string) {
  return callApi('listReports', { status, ...(beforeId ? { beforeId } : {}) });
}

function ReportCard({
  report,
  onResolve,
}: {
  report: AdminReport;
  onResolve: () => Promise<void>;
}) {
  const [isBusy, setIsBusy] = useState(false);
  const { message } = report;
  return (
    <li className={styles.card} data-testid="report">
      <p className={styles.meta}>
        <span className={styles.kind}>{message ? 'Message' : 'Person'}</span>
        <time dateTime={report.createdAt}>{formatFull(report.createdAt)}</time>
      </p>
      <p className={styles.who}>
        <Name person={report.reporter} /> reported <Name person={report.reportedUser} />
      </p>
      {report.note ? (
        <blockquote className={styles.note} data-testid="report-note">
          {report.note}
        </blockquote>
      ) : (
        <p className={styles.noNote}>No note.</p>
      )}
      {message && (
        <section className={styles.context} aria-label="The message in its conversation">
          <p className={styles.where}>
            {message.conversation.kind === 'group'
              ? `In the group “${message.conversation.title}”`
              : `In the direct chat of ${message.conversation.title}`}
          </p>
          <ol className={styles.messages}>
            {message.context.map((item) => (
              <ContextMessage key={item.seq} message={item} isReported={item.seq === message.seq} />
            ))}
          </ol>
        </section>
      )}
      <div className={styles.footer}>
        {report.resolvedAt ? (
          <p className={styles.resolved} data-testid="report-resolved">
            Resolved{report.resolvedBy ? ` by @${report.resolvedBy.username}` : ''},{' '}
            <time dateTime={report.resolvedAt}>{formatFull(report.resolvedAt)}</time>
          </p>
        ) : (
          <button
            type="button"
            className={controls.primaryButton}
            disabled={isBusy}
            onClick={() => {
              setIsBusy(true);
              void onResolve().finally(() => setIsBusy(false));
            }}
          >
            Resolve
          </button>
        )}
      </div>
    </li>
  );
}

function ContextMessage({
  message,
  isReported,
}: {
  message: ReportContextMessage;
  isReported: boolean;
}) {
  const className =
    message.kind === 'system' ? styles.system : isReported ? styles.reported : styles.message;
  return (
    <li
      className={className}
      data-testid={isReported ? 'reported-message' : 'context-message'}
      aria-current={isReported || undefined}
    >
      {message.kind === 'system' ? (
        <span className={styles.body}>{message.body}</span>
      ) : (
        <>
          <span className={styles.messageMeta}>
            <Name person={message.sender} />
            <time dateTime={message.createdAt}>{formatFull(message.createdAt)}</time>
            {isReported && <span className={styles.reportedLabel}>Reported</span>}
            {message.editedAt && <span>edited</span>}
          </span>
          {message.isDeleted ? (
            <span className={styles.deleted}>This message was deleted</span>
          ) : (
            <span className={styles.body}>{message.body}</span>
          )}
        </>
      )}
    </li>
  );
}

/** "Alice (@alice)", or just "@alice" without a display name. */
function Name({ person }: { person: ReportPerson | null }) {
  if (!person) return <span className={styles.name}>a deleted account</span>;
  if (!person.displayName) return <span className={styles.name}>@{person.username}</span>;
  return (
    <span className={styles.name}>
      {person.displayName} <span className={styles.handle}>@{person.username}</span>
    </span>
  );
}
