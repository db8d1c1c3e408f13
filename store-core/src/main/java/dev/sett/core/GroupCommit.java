package dev.sett.core;

import java.io.IOException;

/**
 * Makes writes durable with as few {@code fsync}s as possible: a writer that needs its write on disk
 * either becomes the leader and forces the file for everyone who wrote before it started, or waits
 * for a leader whose force covers it (group commit).
 *
 * <p>Thread-safe.
 */
final class GroupCommit {
  /** Forces everything up to the sequence it returns. */
  interface Syncer {
    long syncAll() throws IOException;
  }

  private final Syncer syncer;
  private long durableSequence;
  private boolean syncing;
  private IOException failure;

  GroupCommit(Syncer syncer, long durableSequence) {
    this.syncer = syncer;
    this.durableSequence = durableSequence;
  }

  /** Returns once every write with a sequence up to {@code sequence} is durable. */
  void awaitDurable(long sequence) throws IOException {
    boolean interrupted = false;
    try {
      for (;;) {
        synchronized (this) {
          for (;;) {
            if (failure != null) {
              throw new IOException("an earlier sync failed; the store must be reopened", failure);
            }
            if (durableSequence >= sequence) {
              return;
            }
            if (!syncing) {
              syncing = true;
              break;
            }
            try {
              wait();
            } catch (InterruptedException e) {
              interrupted = true;
            }
          }
        }
        long reached;
        try {
          reached = syncer.syncAll();
        } catch (IOException | RuntimeException | Error e) {
          // Whatever went wrong, the leader must hand over: a waiter left behind 'syncing' would
          // wait for ever.
          synchronized (this) {
            failure = e instanceof IOException ? (IOException) e : new IOException(e);
            syncing = false;
            notifyAll();
          }
          throw e;
        }
        synchronized (this) {
          durableSequence = Math.max(durableSequence, reached);
          syncing = false;
          notifyAll();
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
