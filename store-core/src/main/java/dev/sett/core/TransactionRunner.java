package dev.sett.core;

import dev.sett.api.ConflictException;
import dev.sett.api.InvalidInputException;
import dev.sett.api.Transaction;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * {@code Store.update} and {@code Store.compute}: runs a piece of work in a fresh transaction and
 * commits it, again on conflict, a bounded number of times, with randomised exponential back-off
 * between attempts ("full jitter": a pause drawn uniformly from zero to a cap that doubles from
 * {@value #FIRST_CAP_MICROS} µs to {@value #MAX_CAP_MICROS} µs), so that transactions colliding on one
 * key spread out instead of colliding again in step.
 *
 * <p>Stateless; thread-safe.
 */
final class TransactionRunner {
  static final long FIRST_CAP_MICROS = 50;
  static final long MAX_CAP_MICROS = 10_000;

  private TransactionRunner() {
  }

  static <R> R run(Supplier<SettTransaction> begin, Function<Transaction, R> work, int attempts) {
    if (work == null) {
      throw new InvalidInputException("the transaction's work must not be null");
    }
    ConflictException last = null;
    for (int attempt = 1;; attempt++) {
      try (SettTransaction txn = begin.get()) {
        R result = work.apply(txn);
        if (txn.isActive()) {
          txn.commit();
        }
        return result;
      } catch (ConflictException e) {
        last = e;
      }
      if (attempt >= attempts) {
        throw new ConflictException("the transaction conflicted " + attempt + " times in a row and was given up"
            + " (StoreOptions.transactionAttempts); the cause is the last conflict. Contention this high on"
            + " the same keys calls for fewer, shorter transactions on them", last);
      }
      if (!pause(attempt)) {
        throw new ConflictException("interrupted while backing off after conflict " + attempt + "; the transaction"
            + " was not committed and the thread's interrupt is still set", last);
      }
    }
  }

  /** Sleeps before attempt {@code attempt + 1}; false if the thread is interrupted. */
  static boolean pause(int attempt) {
    long cap = Math.min(MAX_CAP_MICROS, FIRST_CAP_MICROS << Math.min(attempt - 1, 20));
    long deadline = System.nanoTime() + TimeUnit.MICROSECONDS.toNanos(ThreadLocalRandom.current().nextLong(cap + 1));
    for (long left; (left = deadline - System.nanoTime()) > 0;) {
      if (Thread.currentThread().isInterrupted()) {
        return false;
      }
      LockSupport.parkNanos(left);
    }
    return !Thread.currentThread().isInterrupted();
  }
}
