package dev.sett.core;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;

/**
 * JFR event {@code dev.sett.SlowOperation}: a call on a store that took at least
 * {@code StoreOptions.slowOperationThreshold()}; the duration is the call's, the stack trace its
 * caller's. See {@link SlowOperations} for how a call is timed only while a recording enables the
 * event.
 *
 * <p>An instance belongs to the thread that created it.
 */
@Name("dev.sett.SlowOperation")
@Label("Sett Slow Operation")
@Category("Sett")
@Description("A store call that took at least StoreOptions.slowOperationThreshold")
final class SlowOperationEvent extends jdk.jfr.Event {
  /** Shared only to ask {@link #isEnabled()}. */
  static final SlowOperationEvent PROBE = new SlowOperationEvent();

  @Label("Store")
  String store;

  /** When the call started ({@link System#nanoTime()}); transient, so not part of the event. */
  transient long startNanos;

  @Label("Operation")
  @Description("The Store method: put, delete, putIfAbsent, replace, write, get, read, contains or readLong")
  String operation;
}
