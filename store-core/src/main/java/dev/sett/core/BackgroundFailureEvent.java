package dev.sett.core;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/**
 * JFR event {@code dev.sett.BackgroundFailure}: a background task of a store (compaction, the
 * sealer) failed; the same failure is logged and counted in {@code StoreStats.backgroundTasks()}.
 * Instant (no duration). Rare, so it is created whenever a recording enables it.
 *
 * <p>An instance belongs to the thread that created it.
 */
@Name("dev.sett.BackgroundFailure")
@Label("Sett Background Failure")
@Category("Sett")
@Description("A background task of a store failed")
@StackTrace(false)
final class BackgroundFailureEvent extends jdk.jfr.Event {
  @Label("Store")
  String store;

  @Label("Task")
  @Description("compaction or sealer")
  String task;

  @Label("Failure")
  @Description("The failure's class and message")
  String failure;

  @Label("What Next")
  @Description("What the store does about it: retry, stop, refuse writes")
  String next;
}
