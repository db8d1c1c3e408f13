package dev.sett.core;

import java.io.IOException;
import java.nio.channels.ClosedByInterruptException;

/**
 * Runs file operations so that an interrupt of the calling thread cannot fail them.
 *
 * <p>Why: a {@code FileChannel} operation on an interrupted thread closes the channel and throws
 * {@link ClosedByInterruptException}. For a force that would read as a failed fsync, after which the
 * store must refuse every write until it is reopened; one thread's {@code Future.cancel(true)}
 * would then take the store away from every other thread. An interrupted force has not lost
 * anything (the dirty pages are still in the page cache, and forcing them on a fresh descriptor
 * writes them), so the operation is simply run again with the interrupt status put aside, and the
 * status is restored afterwards for the caller to see. Every operation wrapped here is idempotent
 * (it opens its own channel and writes or forces the same bytes), so running it again is safe.
 *
 * <p>Stateless and thread-safe.
 */
final class InterruptSafeIo {
  /** One file operation, run on a channel of its own. */
  interface Call<T> {
    T call() throws IOException;
  }

  /** As {@link Call}, without a result. */
  interface Action {
    void run() throws IOException;
  }

  private InterruptSafeIo() {
  }

  static <T> T call(Call<T> call) throws IOException {
    boolean interrupted = Thread.interrupted();
    try {
      for (;;) {
        try {
          return call.call();
        } catch (IOException | RuntimeException e) {
          if (!causedByInterrupt(e)) {
            throw e;
          }
          interrupted |= Thread.interrupted();
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  static void run(Action action) throws IOException {
    call(() -> {
      action.run();
      return null;
    });
  }

  /** Whether {@code e}, or a cause of it (libraries wrap it), is a channel closed by an interrupt. */
  static boolean causedByInterrupt(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof ClosedByInterruptException) {
        return true;
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return false;
  }
}
