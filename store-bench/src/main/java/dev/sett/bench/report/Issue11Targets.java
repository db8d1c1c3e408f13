package dev.sett.bench.report;

import static dev.sett.bench.report.Format.number;
import static dev.sett.bench.report.Format.ratio;
import static dev.sett.bench.report.Format.whole;
import static dev.sett.bench.report.Report.BIG_STORE;
import static dev.sett.bench.report.Report.DISK_USE;
import static dev.sett.bench.report.Report.PEER_APPEND;
import static dev.sett.bench.report.Report.PEER_READ;
import static dev.sett.bench.report.Report.PEER_SCAN;
import static dev.sett.bench.report.Report.PEER_WRITE;
import static dev.sett.bench.report.Report.PLAIN_LOOP;
import static dev.sett.bench.report.Report.VALUE_READ;
import static dev.sett.bench.report.Report.WRITE;

import dev.sett.bench.report.Targets.Target;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Issue 11's targets (performance round 2) and the report's table of them, in the issue's order:
 * open time, bulk load, appends and overwrites against RocksDB, scans against lmdbjava, index
 * memory, point reads against lmdbjava, group commit, a one-key store's disk use and 64 KiB reads.
 * Three kinds of target: a ratio of speeds ({@link Targets#ratioTarget}), a ratio of times that
 * must stay under a bound (a scan against lmdbjava's, a crashed open against a clean one), and an
 * absolute figure under a bound (seconds, µs per put, bytes). The big-store figures count only at
 * the issue's size, {@value #BIG_KEYS} keys; a run at another size (quick, smoke) shows them as not
 * measured, with the size it ran at.
 */
final class Issue11Targets {
  static final String BIG_KEYS = "10000000";
  private static final String PEER_RECORDS = "records=1000000";

  private final Report report;

  Issue11Targets(Report report) {
    this.report = report;
  }

  /** Appends the section: a heading, how to read it, and the table. */
  void appendTo(StringBuilder md) {
    md.append("## Targets (issue 11)\n\n");
    md.append("\"≥ n×\": how many times faster Sett is than the other; \"≤ n×\" of a scan or an open: "
        + "its time over the other's; \"≤\" a figure: the measured figure itself. Open time, bulk load, "
        + "memory and disk come from plain programs (one sample, so no noise figure).\n\n");
    Targets.table(md, list());
  }

  /** Every target, in the order of the table. */
  List<Target> list() {
    List<Target> t = new ArrayList<>();
    t.add(bigStoreAtMost("Open of a cleanly closed 10M-key store: fresh JVM to the first `get`",
        "cleanOpenToFirstGet", 2, 1, "s"));
    t.add(bigStoreCrashOpen());
    t.add(bigStoreAtMost("Bulk load of 10M keys in `WriteBatch`es of 1,000, `SyncMode.NONE`",
        "bulkLoad", 1, Double.NaN, "µs/put"));
    for (String order : new String[] {"random", "ascending"}) {
      t.add(Targets.ratioTarget("New keys (" + order + " order), single puts, no sync: Sett `put` vs RocksDB `put`",
          find(PEER_APPEND, "settPut", 1, PEER_RECORDS, "order=" + order),
          find(PEER_APPEND, "rocksPut", 1, PEER_RECORDS, "order=" + order), 4, 10));
    }
    t.add(Targets.ratioTarget("Random overwrites, no sync: Sett `put` vs RocksDB `put`",
        find(PEER_WRITE, "settPut", 1), find(PEER_WRITE, "rocksPut", 1), 6, 10));
    JmhResult forward = find(PEER_SCAN, "settForward", 1, PEER_RECORDS);
    t.add(timeRatio("Forward scan per entry, 1M keys written in random order: Sett ÷ lmdbjava cursor",
        forward, find(PEER_SCAN, "lmdbForward", 1, PEER_RECORDS), 2, 1));
    t.add(timeRatio("Reverse scan per entry ÷ forward scan (Sett, same data)",
        find(PEER_SCAN, "settReverse", 1, PEER_RECORDS), forward, 1.25, 1));
    t.add(indexMemory());
    for (int threads : new int[] {1, 2}) {
      String th = threads == 1 ? "1 thread" : threads + " threads";
      JmhResult lmdb = find(PEER_READ, "lmdbGet", threads);
      t.add(Targets.ratioTarget("Random 100 B reads, " + th + ": Sett `readLong` vs lmdbjava `get`",
          find(PEER_READ, "settReadLong", threads), lmdb, 2.5, 4));
      t.add(Targets.ratioTarget("Random 100 B reads, " + th + ": Sett `snapshot().get` vs lmdbjava `get`",
          find(PEER_READ, "settSnapshotView", threads), lmdb, 2.5, 4));
    }
    JmhResult one = find(WRITE, "put", 0, "sync=ALWAYS", "valueSize=128");
    t.add(Targets.ratioTarget("`SyncMode.ALWAYS` 128 B puts: 2 writers ÷ 1 (throughput)",
        find(WRITE, "put2Threads", 0, "sync=ALWAYS", "valueSize=128"), one, 1.6, Double.NaN));
    t.add(Targets.ratioTarget("`SyncMode.ALWAYS` 128 B puts: 8 writers ÷ 1 (throughput)",
        find(WRITE, "put8Threads", 0, "sync=ALWAYS", "valueSize=128"), one, 5, Double.NaN));
    t.add(atMost("Disk allocated by a one-key store, open (`du`)", find(DISK_USE, "oneKeyAllocatedOpen", 1),
        1 << 20, Double.NaN, "B", ""));
    t.add(atMost("Disk allocated by a one-key store, closed (`du`)", find(DISK_USE, "oneKeyAllocatedClosed", 1),
        1 << 20, Double.NaN, "B", ""));
    String k64 = "valueSize=65536";
    t.add(Targets.ratioTarget("64 KiB read, JMH: copying `get` ÷ snapshot view",
        find(VALUE_READ, "snapshotView", 1, k64), find(VALUE_READ, "copyGet", 1, k64), 100, Double.NaN));
    t.add(Targets.ratioTarget("64 KiB read, plain loop: `get` + `getLong` ÷ `snapshot.get` + `getLong`",
        find(PLAIN_LOOP, "viewGetLong", 1, k64), find(PLAIN_LOOP, "copyGetLong", 1, k64), 100, Double.NaN));
    return t;
  }

  private JmhResult find(String className, String method, int threads, String... params) {
    return report.find(className, method, threads, params);
  }

  /** A big-store figure at the issue's size, under {@code max}. */
  private Target bigStoreAtMost(String what, String method, double max, double aim, String unit) {
    JmhResult r = find(BIG_STORE, method, 1, "keys=" + BIG_KEYS);
    if (r == null) {
      return otherSize(what, method, "≤ " + bound(max) + " " + unit + aimText(aim, " " + unit));
    }
    return atMost(what, r, max, aim, unit, "");
  }

  private Target bigStoreCrashOpen() {
    String what = "Open after a crash (SIGKILL after the load): fresh JVM to the first `get`, ÷ the clean open";
    JmhResult crash = find(BIG_STORE, "crashOpenToFirstGet", 1, "keys=" + BIG_KEYS);
    if (crash == null) {
      return otherSize(what, "crashOpenToFirstGet", "≤ 2×");
    }
    return timeRatio(what, crash, find(BIG_STORE, "cleanOpenToFirstGet", 1, "keys=" + BIG_KEYS), 2, Double.NaN);
  }

  private Target indexMemory() {
    String what = "Index memory, 10M × 16 B keys: heap used after GC per key";
    JmhResult heap = find(BIG_STORE, "indexHeapPerKey", 1, "keys=" + BIG_KEYS);
    if (heap == null) {
      return otherSize(what, "indexHeapPerKey", "≤ 64 B/key (aim 40)");
    }
    JmhResult stats = find(BIG_STORE, "indexBytesPerKey", 1, "keys=" + BIG_KEYS);
    String says = stats == null ? "" : "`stats().indexBytes()` says " + number(stats.score()) + " B/key";
    return atMost(what, heap, 64, 40, "B/key", says);
  }

  /** "Not measured", saying at which size the run measured {@code method} if it did. */
  private Target otherSize(String what, String method, String needed) {
    JmhResult any = find(BIG_STORE, method, 1);
    String note = any == null ? "" : "ran at " + any.param("keys") + " keys, not " + BIG_KEYS;
    String measured = any == null ? "–" : "(" + number(any.score()) + " " + unitOf(any) + ")";
    return new Target(what, measured, needed, null, note, "–");
  }

  private static String unitOf(JmhResult r) {
    return r.unit().replace("us/op", "µs/put").replace("s/op", "s");
  }

  private static String aimText(double aim, String unit) {
    return Double.isNaN(aim) ? "" : " (aim " + bound(aim) + unit + ")";
  }

  /** A bound as written in the issue: whole numbers without decimals ("2", "1,048,576"). */
  static String bound(double v) {
    return v == Math.rint(v) ? String.format(Locale.ROOT, "%,.0f", v) : number(v);
  }

  /** {@code r}'s score (lower is better) must be at most {@code max}; {@code aim} (or NaN) is hoped for. */
  static Target atMost(String what, JmhResult r, double max, double aim, String unit, String note) {
    String needed = "≤ " + bound(max) + " " + unit + aimText(aim, " " + unit);
    if (r == null) {
      return new Target(what, "–", needed, null, note, "–");
    }
    double v = r.score();
    boolean met = v <= max;
    String how = !met ? "over by " + ratio(v / max) : (!Double.isNaN(aim) && v > aim ? "aim not reached" : "");
    String joined = how.isEmpty() ? note : note.isEmpty() ? how : how + "; " + note;
    return new Target(what, number(v) + " " + unit, needed, met, joined, "–");
  }

  /** {@code subject}'s time over {@code reference}'s must be at most {@code max} (aim: {@code aim} or NaN). */
  static Target timeRatio(String what, JmhResult subject, JmhResult reference, double max, double aim) {
    double r = 1 / Report.faster(subject, reference);
    String needed = "≤ " + whole(max) + (Double.isNaN(aim) ? "" : " (aim " + whole(aim) + ")");
    String noise = Targets.noise(subject, reference);
    if (Double.isNaN(r)) {
      return new Target(what, "–", needed, null, "", noise);
    }
    boolean met = r <= max;
    String note = !met ? "over by " + ratio(r / max) : (!Double.isNaN(aim) && r > aim ? "aim not reached" : "");
    return new Target(what, ratio(r), needed, met, note, noise);
  }
}
