package dev.sett.core;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/**
 * JFR event {@code dev.sett.Sync}: one force of the store's unsynced data; the duration is the
 * force's. A group commit covers every writer that waited for it ({@link #waiters}); a roll under
 * {@code SyncMode.ALWAYS} and a compaction force for themselves. Created only while a recording
 * enables it.
 *
 * <p>An instance belongs to the thread that created it.
 */
@Name("dev.sett.Sync")
@Label("Sett Sync")
@Category("Sett")
@Description("Data forced to disk: a group commit, a roll under SyncMode.ALWAYS or a compaction's copies")
@StackTrace(false)
final class SyncEvent extends jdk.jfr.Event {
  /** Shared only to ask {@link #isEnabled()}. */
  static final SyncEvent PROBE = new SyncEvent();

  static final String GROUP_COMMIT = "group commit";
  static final String ROLL = "roll";
  static final String COMPACTION = "compaction";

  @Label("Store")
  String store;

  @Label("Reason")
  @Description("group commit, roll or compaction")
  String reason;

  @Label("Waiters")
  @Description("Callers (writes under SyncMode.ALWAYS, Store.sync calls) whose wait this force ended;"
      + " 0 for a roll or a compaction")
  int waiters;

  @Label("Durable Sequence")
  @Description("Sequence number durable after the force, 0 if not known")
  long sequence;
}
