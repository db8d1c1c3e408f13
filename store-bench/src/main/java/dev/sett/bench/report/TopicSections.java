package dev.sett.bench.report;

import static dev.sett.bench.report.Format.alloc;
import static dev.sett.bench.report.Format.ratio;
import static dev.sett.bench.report.Format.row;
import static dev.sett.bench.report.Format.score;
import static dev.sett.bench.report.Format.size;
import static dev.sett.bench.report.Report.ESSAY;
import static dev.sett.bench.report.Report.PEER_READ;
import static dev.sett.bench.report.Report.PEER_READS;
import static dev.sett.bench.report.Report.PEER_WRITE;
import static dev.sett.bench.report.Report.PEER_WRITES;
import static dev.sett.bench.report.Report.RMW;
import static dev.sett.bench.report.Report.SCAN;
import static dev.sett.bench.report.Report.THREADED;
import static dev.sett.bench.report.Report.TTL;
import static dev.sett.bench.report.Report.VALUE_READ;
import static dev.sett.bench.report.Report.WRITE;
import static dev.sett.bench.report.Report.faster;

import java.util.List;

/**
 * The report's one section per benchmark topic, in this order: zero-copy vs copy by value size, the
 * zero-copy essay's experiments, Sett vs peers for reads and for writes, Sett's writes, scans and
 * read scaling. Each section says what was measured and lays the results side by side with the
 * ratios that matter; a topic with no result in this run has no section, and a benchmark of it
 * that was not run shows as "–".
 */
final class TopicSections {
  private final Report report;

  TopicSections(Report report) {
    this.report = report;
  }

  /** Appends the section of every topic that has results. */
  void appendTo(StringBuilder md) {
    valueReads(md);
    essay(md);
    peerReads(md);
    peerWrites(md);
    writes(md);
    scans(md);
    threaded(md);
    readModifyWrite(md);
    expiry(md);
  }

  private JmhResult find(String className, String method, int threads, String... params) {
    return report.find(className, method, threads, params);
  }

  private void valueReads(StringBuilder md) {
    List<Integer> sizes = report.valueSizes(VALUE_READ);
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
      row(md, size(size), score(copy), score(view), score(cb), ratio(faster(view, copy)),
          ratio(faster(cb, copy)), alloc(copy), alloc(view), alloc(cb));
    }
    md.append("\nThe same reads when every long of the value is summed (like for like):\n\n");
    md.append("| value size | `get` + sum | snapshot view + sum | `readLong` + sum | copy ÷ view | copy ÷ callback |\n"
        + "|---:|---:|---:|---:|---:|---:|\n");
    for (int size : sizes) {
      String p = "valueSize=" + size;
      JmhResult copy = find(VALUE_READ, "copyGetSumLongs", 1, p);
      JmhResult view = find(VALUE_READ, "snapshotViewSumLongs", 1, p);
      JmhResult cb = find(VALUE_READ, "callbackSumLongs", 1, p);
      row(md, size(size), score(copy), score(view), score(cb), ratio(faster(view, copy)),
          ratio(faster(cb, copy)));
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
    row(md, what, go, score(r) + " ns", alloc(r));
  }

  private void peerReads(StringBuilder md) {
    if (!report.hasClass(PEER_READ)) {
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
      row(md, p[1], score(r1), alloc(r1), ratio(faster(sett1, r1)), score(r2), alloc(r2),
          ratio(faster(sett2, r2)));
    }
    md.append('\n');
  }

  private void peerWrites(StringBuilder md) {
    if (!report.hasClass(PEER_WRITE)) {
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
      row(md, p[1], score(r), alloc(r), ratio(faster(sett, r)));
    }
    md.append('\n');
  }

  private void writes(StringBuilder md) {
    if (!report.hasClass(WRITE)) {
      return;
    }
    md.append("## Sett writes (`WriteBenchmark`)\n\n");
    md.append("Puts per second (all writer threads together), overwriting random keys of a preloaded "
        + "store. ALWAYS forces every put (or batch) to disk, one fsync per write group.\n\n");
    md.append("| sync | value size | 1 writer | 8 writers | 8 ÷ 1 | batches of 100 (puts/s) |\n"
        + "|---|---:|---:|---:|---:|---:|\n");
    List<Integer> sizes = report.valueSizes(WRITE);
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
        row(md, sync, size(size), score(one), score(eight), ratio(faster(eight, one)), score(batch));
      }
    }
    md.append('\n');
  }

  private void scans(StringBuilder md) {
    if (!report.hasClass(SCAN)) {
      return;
    }
    md.append("## Sett ordered scans (`ScanBenchmark`)\n\n");
    md.append("A snapshot and a cursor over 10,000 consecutive keys of 200,000 (100-byte values); "
        + "ns and bytes allocated per entry visited.\n\n");
    md.append("| direction | keys only | B/entry | keys and values | B/entry |\n|---|---:|---:|---:|---:|\n");
    for (String dir : new String[] {"forward", "reverse"}) {
      JmhResult k = find(SCAN, dir + "Keys", 1);
      JmhResult kv = find(SCAN, dir + "KeysValues", 1);
      row(md, dir, score(k), alloc(k), score(kv), alloc(kv));
    }
    md.append('\n');
  }

  private void threaded(StringBuilder md) {
    if (!report.hasClass(THREADED)) {
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
      row(md, p[1], score(t1), score(t2), score(t4), ratio(faster(t2, t1)), ratio(faster(t4, t1)));
    }
    md.append('\n');
  }

  private void readModifyWrite(StringBuilder md) {
    if (!report.hasClass(RMW)) {
      return;
    }
    md.append("## Read-modify-write (`ReadModifyWriteBenchmark`)\n\n");
    md.append("Increments of an 8-byte counter at a random key, committed per ms over all threads: a Sett "
        + "transaction (`Store.update`), a `synchronized` get + put, RocksDB's `OptimisticTransactionDB`. The "
        + "abort rate is retries ÷ commits (the `aborts` counter).\n\n");
    md.append("| keys | threads | Sett transaction | synchronized | RocksDB optimistic | transaction ÷ synchronized "
        + "| transaction ÷ RocksDB | aborts Sett | aborts RocksDB |\n|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    for (String keys : new String[] {"16", "100000"}) {
      for (int threads : new int[] {1, 2, 8}) {
        String p = "keys=" + keys;
        JmhResult txn = find(RMW, "settTransaction", threads, p);
        JmhResult sync = find(RMW, "settSynchronized", threads, p);
        JmhResult rocks = find(RMW, "rocksOptimistic", threads, p);
        if (txn == null && sync == null && rocks == null) {
          continue;
        }
        row(md, keys, String.valueOf(threads), score(txn), score(sync), score(rocks), ratio(faster(txn, sync)),
            ratio(faster(txn, rocks)), abortRate(txn), abortRate(rocks));
      }
    }
    md.append('\n');
  }

  /** Retries per commit, from the {@code aborts} counter (a rate beside a throughput score). */
  private static String abortRate(JmhResult r) {
    Double aborts = r == null ? null : r.secondary().get("aborts");
    if (aborts == null || r.score() <= 0) {
      return "–";
    }
    return String.format(java.util.Locale.ROOT, "%.3f%%", 100 * aborts / r.score());
  }

  private void expiry(StringBuilder md) {
    if (!report.hasClass(TTL)) {
      return;
    }
    md.append("## Expiry (`TtlBenchmark`)\n\n");
    JmhResult plain = find(TTL, "readLong", 0, "ttl=none");
    JmhResult expiring = find(TTL, "readLong", 0, "ttl=1d");
    JmhResult expired = find(TTL, "compact", 0, "reclaim=expired");
    JmhResult deleted = find(TTL, "compact", 0, "reclaim=deleted");
    md.append("| measure | without ttl / deleted | with ttl / expired | left faster by |\n|---|---:|---:|---:|\n");
    row(md, "random `readLong`, ns", score(plain), score(expiring), ratio(faster(plain, expiring)));
    row(md, "`compact(true)` of every record, ms", score(deleted), score(expired), ratio(faster(deleted, expired)));
    md.append('\n');
  }
}
