package dev.sett.core;

import jdk.jfr.Category;
import jdk.jfr.DataAmount;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/**
 * JFR event {@code dev.sett.Compaction}: one compaction run that retired at least one segment; its
 * duration is the run's. Created only while a recording enables it ({@link Compactor} checks
 * {@link #isEnabled()} on a shared instance first), so compaction pays nothing otherwise.
 *
 * <p>An instance belongs to the thread that created it; JFR commits it from that thread.
 */
@Name("dev.sett.Compaction")
@Label("Sett Compaction")
@Category("Sett")
@Description("A compaction run that rewrote and retired segments")
@StackTrace(false)
final class CompactionEvent extends jdk.jfr.Event {
  /** Shared only to ask {@link #isEnabled()}, which reads JFR's settings and no field of it. */
  static final CompactionEvent PROBE = new CompactionEvent();

  @Label("Store")
  @Description("The store's directory")
  String store;

  @Label("Segments Compacted")
  int segments;

  @Label("Bytes Reclaimed")
  @Description("Bytes of the retired segment files")
  @DataAmount
  long bytesReclaimed;

  @Label("Records Copied")
  long recordsCopied;

  @Label("Bytes Copied")
  @DataAmount
  long bytesCopied;

  @Label("Records Dropped")
  @Description("Superseded records left behind")
  long recordsDropped;

  @Label("Tombstones Dropped")
  @Description("Tombstones left behind because nothing older of their key remained")
  long tombstonesDropped;

  @Label("Expired Dropped")
  @Description("Expired records left behind (their keys left the store)")
  long expiredDropped;

  @Label("Background")
  @Description("Whether the background compactor ran it (false: Store.compact)")
  boolean background;
}
