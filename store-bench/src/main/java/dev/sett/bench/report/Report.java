package dev.sett.bench.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeSet;

/**
 * Turns JMH results into the Markdown report: the targets with the measured ratios and
 * whether each was met, then one table per topic, then every result. Benchmarks that were not run
 * (a quick profile runs a subset) show as "–" and their targets as "not measured".
 *
 * <p>Ratios always say how many times faster the first thing is than the second: slower time over
 * faster time for time-per-operation scores, and the inverse for throughput scores.
 */
final class Report {
  static final String VALUE_READ = "ValueReadBenchmark";
  static final String ESSAY = "ZeroCopyEssayBenchmark";
  static final String WRITE = "WriteBenchmark";
  static final String SCAN = "ScanBenchmark";
  static final String THREADED = "ThreadedReadBenchmark";
  static final String PEER_READ = "PeerReadBenchmark";
  static final String PEER_WRITE = "PeerWriteBenchmark";

  /** Point-read paths of PeerReadBenchmark: method and label, Sett's callback first. */
  static final String[][] PEER_READS = {
      {"settReadLong", "Sett `readLong` callback (zero-copy, no allocation)"},
      {"settSnapshotView", "Sett snapshot view (zero-copy)"},
      {"settCopyGet", "Sett `get` (copy)"},
      {"lmdbGet", "lmdbjava `Dbi.get`, DirectBuffer (zero-copy), read txn reused"},
      {"rocksGet", "RocksDB `get(byte[])` (copy)"},
      {"rocksGetDirect", "RocksDB `get(ReadOptions, ByteBuffer, ByteBuffer)` (copy into direct buffer)"},
      {"mvstoreGet", "H2 MVStore `MVMap.get` (cached object)"},
  };

  /** Overwrite paths of PeerWriteBenchmark, Sett first. */
  static final String[][] PEER_WRITES = {
      {"settPut", "Sett `put`, SyncMode.NONE"},
      {"lmdbPut", "lmdbjava, 1 put per txn, MDB_NOSYNC"},
      {"lmdbPutBatch", "lmdbjava, 1,000 puts per txn, MDB_NOSYNC"},
      {"rocksPut", "RocksDB `put`, WAL on, no sync"},
      {"mvstorePut", "H2 MVStore `MVMap.put`, background auto-commit"},
  };

  /**
   * One of the targets.
   *
   * @param what      what is compared
   * @param measured  the measured figure, formatted
   * @param needed    the target, formatted
   * @param met       whether it was met; null if not measured
   * @param note      how far off, or what else to know
   * @param noise     the larger relative 99.9% error of the results compared, formatted ("–" if unknown)
   */
  record Target(String what, String measured, String needed, Boolean met, String note, String noise) {
    String status() {
      if (met == null) {
        return "not measured";
      }
      return (met ? "**met**" : "**missed**") + (note.isEmpty() ? "" : " (" + note + ")");
    }
  }

  private final List<JmhResult> results;
  private final Properties info;

  Report(List<JmhResult> results, Properties info) {
    this.results = List.copyOf(results);
    this.info = info;
  }

  List<JmhResult> results() {
    return results;
  }

  // ---- lookups -------------------------------------------------------------------------------------

  /**
   * The result of {@code className.method} run with {@code threads} threads (0: any) whose
   * parameters include every {@code name=value} of {@code params}; null if there is none.
   */
  JmhResult find(String className, String method, int threads, String... params) {
    JmhResult found = null;
    outer:
    for (JmhResult r : results) {
      if (!r.className().equals(className) || !r.method().equals(method)
          || (threads != 0 && r.threads() != threads)) {
        continue;
      }
      for (String p : params) {
        int eq = p.indexOf('=');
        if (!p.substring(eq + 1).equals(r.param(p.substring(0, eq)))) {
          continue outer;
        }
      }
      found = r;
    }
    return found;
  }

  /** How many times faster {@code fast} is than {@code slow}; NaN if either is missing. */
  static double faster(JmhResult fast, JmhResult slow) {
    if (fast == null || slow == null || fast.score() <= 0 || slow.score() <= 0) {
      return Double.NaN;
    }
    return fast.higherIsBetter() ? fast.score() / slow.score() : slow.score() / fast.score();
  }

  /** Value sizes ValueReadBenchmark ran with, ascending. */
  List<Integer> valueSizes() {
    TreeSet<Integer> sizes = new TreeSet<>();
    for (JmhResult r : results) {
      if (r.className().equals(VALUE_READ) && r.param("valueSize") != null) {
        sizes.add(Integer.parseInt(r.param("valueSize")));
      }
    }
    return List.copyOf(sizes);
  }

  // ---- targets -------------------------------------------------------------------------------------

  List<Target> targets() {
    List<Target> t = new ArrayList<>();
    String k64 = "valueSize=65536";
    JmhResult copy64 = find(VALUE_READ, "copyGet", 1, k64);
    t.add(ratioTarget("64 KiB point read: snapshot view vs copying `get`",
        find(VALUE_READ, "snapshotView", 1, k64), copy64, 100, Double.NaN));
    t.add(ratioTarget("64 KiB point read: `readLong` callback vs copying `get`",
        find(VALUE_READ, "callbackReadLong", 1, k64), copy64, 100, Double.NaN));
    t.add(allocTarget("64 KiB: allocation of the zero-allocation path (`readLong`)",
        find(VALUE_READ, "callbackReadLong", 1, k64), 0.5, "0 B/op"));
    t.add(allocTarget("64 KiB: allocation of the plain view path (snapshot view)",
        find(VALUE_READ, "snapshotView", 1, k64), 48, "at most one small object (≤ 48 B/op)"));

    String b128 = "valueSize=128";
    JmhResult copy128 = find(VALUE_READ, "copyGet", 1, b128);
    t.add(ratioTarget("128 B point read: snapshot view vs copying `get`",
        find(VALUE_READ, "snapshotView", 1, b128), copy128, 1, Double.NaN));
    t.add(ratioTarget("128 B point read: `readLong` callback vs copying `get`",
        find(VALUE_READ, "callbackReadLong", 1, b128), copy128, 1, Double.NaN));
    t.add(ratioTarget("128 B point read, every long summed: callback vs copy",
        find(VALUE_READ, "callbackSumLongs", 1, b128), find(VALUE_READ, "copyGetSumLongs", 1, b128),
        1, Double.NaN));

    JmhResult read = find(ESSAY, "readFileHeap", 1);
    t.add(ratioTarget("4 MiB file: mapping copied out (the essay's mmap) vs `FileChannel.read`",
        find(ESSAY, "mmapCopy", 1), read, 2, Double.NaN));
    t.add(ratioTarget("4 MiB file: mapping read in place vs `FileChannel.read`",
        find(ESSAY, "mmapSumLongs", 1), read, 2, Double.NaN));

    for (int threads : new int[] {1, 2}) {
      String th = threads == 1 ? "1 thread" : threads + " threads";
      JmhResult sett = find(PEER_READ, "settReadLong", threads);
      t.add(ratioTarget("1M × 100 B random reads, " + th + ": Sett `readLong` vs lmdbjava `get`",
        sett, find(PEER_READ, "lmdbGet", threads), 2, 4));
      t.add(ratioTarget("1M × 100 B random reads, " + th + ": Sett `readLong` vs RocksDB `get(byte[])`",
        sett, find(PEER_READ, "rocksGet", threads), 6, Double.NaN));
    }
    JmhResult put = find(PEER_WRITE, "settPut", 1);
    t.add(ratioTarget("Random overwrites, no sync: Sett `put` vs RocksDB `put`",
        put, find(PEER_WRITE, "rocksPut", 1), 3, 10));
    t.add(ratioTarget("Random overwrites, no sync: Sett `put` vs lmdbjava 1,000 puts/txn",
        put, find(PEER_WRITE, "lmdbPutBatch", 1), 3, 10));
    return t;
  }

  private static Target ratioTarget(String what, JmhResult fast, JmhResult slow, double need, double aim) {
    double ratio = faster(fast, slow);
    String noise = noise(fast, slow);
    String needed = "≥ " + whole(need) + (Double.isNaN(aim) ? "" : " (aim " + whole(aim) + ")");
    if (need == 1) {
      needed = "≥ 1× (no slower)";
    }
    if (Double.isNaN(ratio)) {
      return new Target(what, "–", needed, null, "", noise);
    }
    boolean met = ratio >= need;
    String note;
    if (!met) {
      note = "short by " + ratio(need / ratio);
    } else if (!Double.isNaN(aim) && ratio < aim) {
      note = "aim not reached";
    } else {
      note = "";
    }
    return new Target(what, ratio(ratio), needed, met, note, noise);
  }

  /** The larger of the two results' relative 99.9% errors, as "±12%"; "–" if either is unknown. */
  static String noise(JmhResult a, JmhResult b) {
    double worst = 0;
    for (JmhResult r : new JmhResult[] {a, b}) {
      if (r == null || Double.isNaN(r.error()) || r.score() <= 0) {
        return "–";
      }
      worst = Math.max(worst, r.error() / r.score());
    }
    return String.format(Locale.ROOT, "±%.0f%%", worst * 100);
  }

  private static Target allocTarget(String what, JmhResult r, double max, String needed) {
    if (r == null || Double.isNaN(r.allocPerOp())) {
      return new Target(what, "–", needed, null, r == null ? "" : "run without -prof gc", "–");
    }
    boolean met = r.allocPerOp() <= max;
    return new Target(what, bytes(r.allocPerOp()) + " B/op", needed, met, "", "–");
  }

  // ---- the Markdown --------------------------------------------------------------------------------

  String markdown(String chartFile) {
    StringBuilder md = new StringBuilder();
    md.append("# Sett benchmark report\n\n");
    header(md);
    if (chartFile != null) {
      md.append("![zero-copy vs copy by value size; Sett vs peers](").append(chartFile).append(")\n\n");
    }

    md.append("## Targets (issue 4)\n\n");
    md.append("Ratios say how many times faster Sett's path is than the other, from this one run. "
        + "\"noise\" is the larger 99.9% error of the two scores compared, relative to the score: "
        + "where it approaches or exceeds the margin, the verdict is not reliable.\n\n");
    md.append("| target | measured | needed | result | noise |\n|---|---:|---|---|---:|\n");
    for (Target t : targets()) {
      md.append("| ").append(t.what()).append(" | ").append(t.measured()).append(" | ")
          .append(t.needed()).append(" | ").append(t.status()).append(" | ").append(t.noise()).append(" |\n");
    }
    md.append('\n');

    valueReads(md);
    essay(md);
    peerReads(md);
    peerWrites(md);
    writes(md);
    scans(md);
    threaded(md);
    all(md);
    return md.toString();
  }

  private void header(StringBuilder md) {
    JmhResult any = results.isEmpty() ? null : results.get(0);
    md.append("| | |\n|---|---|\n");
    row(md, "date", info.getProperty("date", "–"));
    row(md, "profile", info.getProperty("profile", "–"));
    row(md, "command", info.containsKey("command") ? "`" + info.getProperty("command") + "`" : "–");
    row(md, "machine", info.getProperty("machine", "–"));
    row(md, "load average", info.getProperty("load", "–"));
    row(md, "JDK", any == null ? "–" : any.jdk() + " (" + any.vm() + ")");
    row(md, "JMH", any == null ? "–" : any.jmhVersion() + ", forks × iterations per result in the last table");
    md.append('\n');
  }

  private static void row(StringBuilder md, String name, String value) {
    md.append("| ").append(name).append(" | ").append(value.replace("|", "\\|")).append(" |\n");
  }

  private void valueReads(StringBuilder md) {
    List<Integer> sizes = valueSizes();
    if (sizes.isEmpty()) {
      return;
    }
    md.append("## Zero-copy vs copy, by value size (`ValueReadBenchmark`)\n\n");
    md.append("Random point reads of a store of about 64 MiB (page cache), ns per read; B/op from "
        + "`-prof gc`. `get` copies the value into a new array, the snapshot view and the `readLong` "
        + "callback read it in place; the plain variants do not read the value.\n\n");
    md.append("| value size | `get` (copy) | snapshot view | `readLong` | copy ÷ view | copy ÷ callback "
        + "| B/op copy | B/op view | B/op callback |\n|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    for (int size : sizes) {
      String p = "valueSize=" + size;
      JmhResult copy = find(VALUE_READ, "copyGet", 1, p);
      JmhResult view = find(VALUE_READ, "snapshotView", 1, p);
      JmhResult cb = find(VALUE_READ, "callbackReadLong", 1, p);
      md.append("| ").append(size(size)).append(" | ").append(ns(copy)).append(" | ").append(ns(view))
          .append(" | ").append(ns(cb)).append(" | ").append(ratio(faster(view, copy))).append(" | ")
          .append(ratio(faster(cb, copy))).append(" | ").append(alloc(copy)).append(" | ")
          .append(alloc(view)).append(" | ").append(alloc(cb)).append(" |\n");
    }
    md.append("\nThe same reads when every long of the value is summed (like for like):\n\n");
    md.append("| value size | `get` + sum | snapshot view + sum | `readLong` + sum | copy ÷ view | copy ÷ callback |\n"
        + "|---:|---:|---:|---:|---:|---:|\n");
    for (int size : sizes) {
      String p = "valueSize=" + size;
      JmhResult copy = find(VALUE_READ, "copyGetSumLongs", 1, p);
      JmhResult view = find(VALUE_READ, "snapshotViewSumLongs", 1, p);
      JmhResult cb = find(VALUE_READ, "callbackSumLongs", 1, p);
      md.append("| ").append(size(size)).append(" | ").append(ns(copy)).append(" | ").append(ns(view))
          .append(" | ").append(ns(cb)).append(" | ").append(ratio(faster(view, copy))).append(" | ")
          .append(ratio(faster(cb, copy))).append(" |\n");
    }
    md.append('\n');
  }

  private void essay(StringBuilder md) {
    if (find(ESSAY, "copy64k", 1) == null && find(ESSAY, "readFileHeap", 1) == null) {
      return;
    }
    md.append("## The zero-copy essay's experiments in Java (`ZeroCopyEssayBenchmark`)\n\n");
    md.append("| experiment | Go, in the essay | Java, here | B/op here |\n|---|---:|---:|---:|\n");
    essayRow(md, "copy 64 KiB into a new array", "4,246 ns", "copy64k");
    essayRow(md, "slice of 64 KiB (returned)", "0.592 ns", "slice64k");
    essayRow(md, "read-only view of 64 KiB (returned)", "–", "readOnlyView64k");
    essayRow(md, "slice of 64 KiB, not escaping", "–", "slice64kGetLong");
    essayRow(md, "4 MiB file: `FileChannel.read` into a heap buffer", "94,650 ns", "readFileHeap");
    essayRow(md, "4 MiB file: `FileChannel.read` into a direct buffer", "–", "readFileDirect");
    essayRow(md, "4 MiB file: mapping copied into an array", "50,082 ns", "mmapCopy");
    essayRow(md, "4 MiB file: mapping summed in place", "–", "mmapSumLongs");
    md.append("\nCopy ÷ slice: Go 7,172×, Java ")
        .append(ratio(faster(find(ESSAY, "slice64k", 1), find(ESSAY, "copy64k", 1))))
        .append(". Read ÷ mapping: Go 1.89×, Java ")
        .append(ratio(faster(find(ESSAY, "mmapCopy", 1), find(ESSAY, "readFileHeap", 1))))
        .append(" (copied out), ")
        .append(ratio(faster(find(ESSAY, "mmapSumLongs", 1), find(ESSAY, "readFileHeap", 1))))
        .append(" (in place).\n\n");
  }

  private void essayRow(StringBuilder md, String what, String go, String method) {
    JmhResult r = find(ESSAY, method, 1);
    md.append("| ").append(what).append(" | ").append(go).append(" | ").append(ns(r)).append(" ns | ")
        .append(alloc(r)).append(" |\n");
  }

  private void peerReads(StringBuilder md) {
    if (!hasClass(PEER_READ)) {
      return;
    }
    md.append("## Sett vs peers: random point reads (`PeerReadBenchmark`)\n\n");
    md.append("1M records, 16-byte keys, 100-byte values, page cache resident; each read consumes the "
        + "value the same way (four longs and the last byte). ns per read per thread; "
        + "\"× Sett\" is how many times longer the read takes than Sett's `readLong`.\n\n");
    md.append("| store and read path | 1 thread | B/op | × Sett | 2 threads | B/op | × Sett |\n"
        + "|---|---:|---:|---:|---:|---:|---:|\n");
    JmhResult sett1 = find(PEER_READ, "settReadLong", 1);
    JmhResult sett2 = find(PEER_READ, "settReadLong", 2);
    for (String[] p : PEER_READS) {
      JmhResult r1 = find(PEER_READ, p[0], 1);
      JmhResult r2 = find(PEER_READ, p[0], 2);
      md.append("| ").append(p[1]).append(" | ").append(ns(r1)).append(" | ").append(alloc(r1))
          .append(" | ").append(ratio(faster(sett1, r1))).append(" | ").append(ns(r2)).append(" | ")
          .append(alloc(r2)).append(" | ").append(ratio(faster(sett2, r2))).append(" |\n");
    }
    md.append('\n');
  }

  private void peerWrites(StringBuilder md) {
    if (!hasClass(PEER_WRITE)) {
      return;
    }
    md.append("## Sett vs peers: random overwrites without sync (`PeerWriteBenchmark`)\n\n");
    md.append("Same data set; each put overwrites a random key with a new 100-byte value and is in the "
        + "page cache when it returns (MVStore: in memory until its auto-commit). ns per put; "
        + "\"× Sett\" is how many times longer the put takes than Sett's.\n\n");
    md.append("| store and write path | ns/put | B/put | × Sett |\n|---|---:|---:|---:|\n");
    JmhResult sett = find(PEER_WRITE, "settPut", 1);
    for (String[] p : PEER_WRITES) {
      JmhResult r = find(PEER_WRITE, p[0], 1);
      md.append("| ").append(p[1]).append(" | ").append(ns(r)).append(" | ").append(alloc(r))
          .append(" | ").append(ratio(faster(sett, r))).append(" |\n");
    }
    md.append('\n');
  }

  private void writes(StringBuilder md) {
    if (!hasClass(WRITE)) {
      return;
    }
    md.append("## Sett writes (`WriteBenchmark`)\n\n");
    md.append("Puts per second (all writer threads together), overwriting random keys of a preloaded "
        + "store. ALWAYS forces every put (or batch) to disk, one fsync per write group.\n\n");
    md.append("| sync | value size | 1 writer | 8 writers | 8 ÷ 1 | batches of 100 (puts/s) |\n"
        + "|---|---:|---:|---:|---:|---:|\n");
    TreeSet<Integer> sizes = new TreeSet<>();
    for (JmhResult r : results) {
      if (r.className().equals(WRITE) && r.param("valueSize") != null) {
        sizes.add(Integer.parseInt(r.param("valueSize")));
      }
    }
    for (String sync : new String[] {"NONE", "ALWAYS"}) {
      for (int size : sizes) {
        String s = "sync=" + sync;
        String v = "valueSize=" + size;
        JmhResult one = find(WRITE, "put", 0, s, v);
        JmhResult eight = find(WRITE, "put8Threads", 0, s, v);
        JmhResult batch = find(WRITE, "batch100", 0, s, v);
        if (one == null && eight == null && batch == null) {
          continue;
        }
        md.append("| ").append(sync).append(" | ").append(size(size)).append(" | ").append(num(one))
            .append(" | ").append(num(eight)).append(" | ").append(ratio(faster(eight, one)))
            .append(" | ").append(num(batch)).append(" |\n");
      }
    }
    md.append('\n');
  }

  private void scans(StringBuilder md) {
    if (!hasClass(SCAN)) {
      return;
    }
    md.append("## Sett ordered scans (`ScanBenchmark`)\n\n");
    md.append("A snapshot and a cursor over 10,000 consecutive keys of 200,000 (100-byte values); "
        + "ns and bytes allocated per entry visited.\n\n");
    md.append("| direction | keys only | B/entry | keys and values | B/entry |\n|---|---:|---:|---:|---:|\n");
    for (String dir : new String[] {"forward", "reverse"}) {
      JmhResult k = find(SCAN, dir + "Keys", 1);
      JmhResult kv = find(SCAN, dir + "KeysValues", 1);
      md.append("| ").append(dir).append(" | ").append(ns(k)).append(" | ").append(alloc(k)).append(" | ")
          .append(ns(kv)).append(" | ").append(alloc(kv)).append(" |\n");
    }
    md.append('\n');
  }

  private void threaded(StringBuilder md) {
    if (!hasClass(THREADED)) {
      return;
    }
    md.append("## Sett read scaling (`ThreadedReadBenchmark`)\n\n");
    md.append("Random point reads of the peer data set, reads per µs summed over all threads "
        + "(the machine has the cores listed above).\n\n");
    md.append("| read path | 1 thread | 2 threads | 4 threads | 2 ÷ 1 | 4 ÷ 1 |\n|---|---:|---:|---:|---:|---:|\n");
    for (String[] p : new String[][] {{"readLong", "`readLong` callback"}, {"snapshotView", "snapshot view"}}) {
      JmhResult t1 = find(THREADED, p[0] + "1Thread", 0);
      JmhResult t2 = find(THREADED, p[0] + "2Threads", 0);
      JmhResult t4 = find(THREADED, p[0] + "4Threads", 0);
      if (t1 == null && t2 == null && t4 == null) {
        continue;
      }
      md.append("| ").append(p[1]).append(" | ").append(num(t1)).append(" | ").append(num(t2))
          .append(" | ").append(num(t4)).append(" | ").append(ratio(faster(t2, t1))).append(" | ")
          .append(ratio(faster(t4, t1))).append(" |\n");
    }
    md.append('\n');
  }

  private void all(StringBuilder md) {
    md.append("## All results\n\n");
    md.append("| benchmark | parameters | threads | score | ± 99.9% | unit | B/op | forks × iterations |\n"
        + "|---|---|---:|---:|---:|---|---:|---|\n");
    for (JmhResult r : results) {
      StringBuilder params = new StringBuilder();
      for (Map.Entry<String, String> e : r.params().entrySet()) {
        params.append(params.length() == 0 ? "" : ", ").append(e.getKey()).append('=').append(e.getValue());
      }
      md.append("| ").append(r.name()).append(" | ").append(params).append(" | ").append(r.threads())
          .append(" | ").append(number(r.score())).append(" | ")
          .append(Double.isNaN(r.error()) ? "–" : number(r.error())).append(" | ").append(r.unit())
          .append(" | ").append(alloc(r)).append(" | ").append(r.forks()).append(" × ")
          .append(r.iterations()).append(" |\n");
    }
  }

  private boolean hasClass(String className) {
    for (JmhResult r : results) {
      if (r.className().equals(className)) {
        return true;
      }
    }
    return false;
  }

  // ---- formatting ----------------------------------------------------------------------------------

  private static String ns(JmhResult r) {
    return r == null ? "–" : number(r.score());
  }

  private static String num(JmhResult r) {
    return r == null ? "–" : number(r.score());
  }

  private static String alloc(JmhResult r) {
    return r == null || Double.isNaN(r.allocPerOp()) ? "–" : bytes(r.allocPerOp());
  }

  /** Three significant digits at most below 1,000; whole numbers with separators above. */
  static String number(double v) {
    if (Double.isNaN(v)) {
      return "–";
    }
    double a = Math.abs(v);
    if (a >= 1000) {
      return String.format(Locale.ROOT, "%,.0f", v);
    }
    if (a >= 100) {
      return String.format(Locale.ROOT, "%.0f", v);
    }
    if (a >= 10) {
      return String.format(Locale.ROOT, "%.1f", v);
    }
    if (a >= 1) {
      return String.format(Locale.ROOT, "%.2f", v);
    }
    return String.format(Locale.ROOT, "%.3g", v);
  }

  /** Bytes per operation: whole bytes, "0" for JMH's rounding noise below half a byte. */
  static String bytes(double v) {
    if (Double.isNaN(v)) {
      return "–";
    }
    return v < 0.5 ? "0" : String.format(Locale.ROOT, "%,.0f", v);
  }

  static String ratio(double r) {
    if (Double.isNaN(r)) {
      return "–";
    }
    if (r >= 100) {
      return String.format(Locale.ROOT, "%,.0f×", r);
    }
    if (r >= 10) {
      return String.format(Locale.ROOT, "%.1f×", r);
    }
    return String.format(Locale.ROOT, "%.2f×", r);
  }

  /** A target factor such as 2 or 100, as "2×". */
  static String whole(double factor) {
    return (factor == Math.rint(factor) ? String.format(Locale.ROOT, "%,.0f", factor)
        : String.format(Locale.ROOT, "%s", factor)) + "×";
  }

  static String size(int bytes) {
    if (bytes >= 1 << 20 && bytes % (1 << 20) == 0) {
      return (bytes >> 20) + " MiB";
    }
    if (bytes >= 1 << 10 && bytes % (1 << 10) == 0) {
      return (bytes >> 10) + " KiB";
    }
    return bytes + " B";
  }
}
