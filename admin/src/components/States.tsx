import type { ReactNode } from 'react';
import { messageOf } from '../api/errors';

export const Loading = ({ what = 'Loading' }: { what?: string }) => (
  <p className="state" role="status" aria-live="polite">
    {what}…
  </p>
);

export const Empty = ({ children }: { children: ReactNode }) => <p className="state empty">{children}</p>;

export const ErrorNote = ({ error }: { error: unknown }) =>
  error ? (
    <p className="state error" role="alert">
      {messageOf(error)}
    </p>
  ) : null;

/** A failure already worded for the user, shown only when there is one. */
export const Alert = ({ message }: { message: string }) =>
  message ? (
    <p className="error" role="alert">
      {message}
    </p>
  ) : null;

/** An outcome worded for the user, shown only when there is one. */
export const Status = ({ message }: { message: string }) => (message ? <p role="status">{message}</p> : null);

/** What a list's load says besides its rows: its failure, that it is loading, or (`count` 0) `empty`. */
export const LoadNotes = ({
  state,
  count,
  empty,
}: {
  state: { data: unknown; error: unknown; loading: boolean };
  count: number | undefined;
  empty: ReactNode;
}) => (
  <>
    <ErrorNote error={state.error} />
    {state.loading && !state.data && <Loading />}
    {count === 0 && <Empty>{empty}</Empty>}
  </>
);

/** The ask before deleting something for good, with the question as its label. */
export const ConfirmDelete = ({
  question,
  onConfirm,
  onCancel,
}: {
  question: string;
  onConfirm: () => void;
  onCancel: () => void;
}) => (
  <div className="confirm" role="alertdialog" aria-labelledby="confirm-text">
    <p id="confirm-text">{question}</p>
    <button type="button" className="danger" onClick={onConfirm} autoFocus>
      Yes, delete
    </button>
    <button type="button" onClick={onCancel}>
      Cancel
    </button>
  </div>
);
