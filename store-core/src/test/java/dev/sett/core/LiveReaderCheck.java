package dev.sett.core;

import dev.sett.api.Snapshot;
import dev.sett.api.Store;
import dev.sett.api.WriteBatch;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Arrays;

/**
 * A writer's history that a reader can check exactly, and the reader that checks it.
 *
 * <p>Batch {@code n} (from 0) writes key {@code k(n % KEYS)} and key {@code last}, both with value
 * {@code n} (padded, so that segments roll and compaction has garbage to collect). A reader that
 * sees {@code last = L} must therefore see, for every key {@code j}, the value of the latest batch
 * up to L that wrote it, or no value if none did: anything else is a torn batch, a lost write, or a
 * value from the future.
 */
final class LiveReaderCheck {
  static final int KEYS = 97;
  private static final byte[] LAST = "last".getBytes(StandardCharsets.UTF_8);
  private static final int PAD = 700;

  private LiveReaderCheck() {
  }

  static byte[] key(int j) {
    return String.format("k%02d", j).getBytes(StandardCharsets.UTF_8);
  }

  static void writeBatch(Store w, long n) {
    byte[] value = value(n);
    w.write(new WriteBatch().put(key((int) (n % KEYS)), value).put(LAST, value));
  }

  private static byte[] value(long n) {
    byte[] head = (n + "|").getBytes(StandardCharsets.UTF_8);
    byte[] v = Arrays.copyOf(head, head.length + PAD);
    Arrays.fill(v, head.length, v.length, (byte) 'x');
    return v;
  }

  private static long parse(byte[] v) {
    String s = new String(v, StandardCharsets.UTF_8);
    int bar = s.indexOf('|');
    if (bar < 0 || v.length != bar + 1 + PAD) {
      throw new IllegalStateException("a value of the wrong shape: " + s.length() + " bytes");
    }
    return Long.parseLong(s.substring(0, bar));
  }

  /** Checks one snapshot; returns the L it saw (-1: nothing written yet). */
  static long check(Snapshot s) {
    var lastView = s.get(LAST);
    long last = lastView == null ? -1 : parse(lastView.toByteArray());
    StringBuilder wrong = new StringBuilder();
    for (int j = 0; j < KEYS; j++) {
      var v = s.get(key(j));
      long expected = last < j ? -1 : last - Math.floorMod(last - j, KEYS);
      long seen = v == null ? -1 : parse(v.toByteArray());
      if (seen != expected) {
        // Every wrong key, not only the first: whether one record or a whole segment is missing
        // tells the causes apart.
        wrong.append(wrong.length() == 0 ? "" : "; ").append("key ").append(j).append(" holds ").append(seen)
            .append(" but a reader at last=").append(last).append(" must see ").append(expected);
      }
    }
    if (wrong.length() > 0) {
      throw new IllegalStateException(wrong.toString());
    }
    return last;
  }

  private static String checkQuietly(Snapshot s) {
    try {
      return "passes at last=" + check(s);
    } catch (RuntimeException e) {
      return "fails: " + e.getMessage();
    }
  }

  /** Where every record of every key lies, on stderr: what a failed check needs to be explained. */
  private static volatile ReadOnlyStore opened;

  private static void diagnose(Path dir, Snapshot failed) {
    // The same snapshot again, then a generation opened afresh: a failure that does not repeat in
    // the same snapshot was a read racing with something; one that repeats there but not in a fresh
    // open was in how that generation was built; one that repeats in both is in the files.
    System.err.println("DIAG the failed snapshot checked again: " + checkQuietly(failed));
    try (Store fresh = Sett.open(dir, ChildProcessMain.OPTIONS.toBuilder().readOnly(true).verifyChecksums(true).build());
        Snapshot s = fresh.snapshot()) {
      System.err.println("DIAG a fresh read-only open checked: " + checkQuietly(s));
    } catch (RuntimeException e) {
      System.err.println("DIAG a fresh read-only open failed: " + e);
    }
    try {
      ReadOnlyStore r = opened;
      if (r != null) {
        System.err.println("DIAG generation: " + r.describeCurrentGeneration());
        StringBuilder ids = new StringBuilder("DIAG generation maps:");
        for (Segment seg : r.currentGeneration().segmentTable().all()) {
          ids.append(' ').append(seg.id()).append("[end ").append(seg.end()).append(']');
        }
        ids.append(" visible=").append(r.currentGeneration().stats().lastSequence());
        for (int j = 0; j < KEYS; j++) {
          var loc = Sett.locate(r, key(j));
          ids.append(" k").append(j).append('=').append(loc == null ? "absent" : loc.segmentId() + "@" + loc.offset()
              + "/" + loc.sequence());
        }
        System.err.println(ids);
      }
      System.err.println("DIAG retired: " + new ReaderRegistry(dir).readRetired());
      java.util.List<Path> segs = new java.util.ArrayList<>();
      try (var files = java.nio.file.Files.list(dir)) {
        files.filter(p -> p.getFileName().toString().endsWith(".seg")).sorted().forEach(segs::add);
      }
      for (Path seg : segs) {
        StringBuilder b = new StringBuilder("DIAG " + seg.getFileName() + ":");
        try {
          var dump = Sett.dumpSegment(seg, 16, rec -> {
            String k = new String(rec.key(), StandardCharsets.UTF_8);
            String v = new String(rec.valuePrefix(), StandardCharsets.UTF_8);
            b.append(' ').append(k).append('=').append(v, 0, Math.max(0, v.indexOf('|'))).append("@").append(rec.offset())
                .append('/').append(rec.sequence()).append(rec.commit() ? "" : "(nc)");
          });
          b.append(" end=").append(dump.end());
        } catch (RuntimeException e) {
          b.append(" unreadable: ").append(e);
        }
        System.err.println(b);
      }
    } catch (Exception e) {
      System.err.println("DIAG failed: " + e);
    }
  }

  /** The child's loop: refresh, check a fresh snapshot, and now and then an old one again. */
  static void run(Path dir, long millis) {
    try (Store r = Sett.open(dir, ChildProcessMain.OPTIONS.toBuilder().readOnly(true).verifyChecksums(true).build())) {
      opened = (ReadOnlyStore) r;
      long deadline = System.nanoTime() + millis * 1_000_000;
      long checks = 0;
      long lastSeen = -1;
      ArrayDeque<Snapshot> held = new ArrayDeque<>();
      ArrayDeque<Long> heldAt = new ArrayDeque<>();
      while (System.nanoTime() < deadline) {
        r.refresh();
        Snapshot s = r.snapshot();
        long last;
        try {
          last = check(s);
        } catch (IllegalStateException e) {
          diagnose(dir, s); // while the generation is open
          throw e;
        }
        if (last < lastSeen) {
          throw new IllegalStateException("went back in time: " + last + " after " + lastSeen);
        }
        lastSeen = last;
        if (checks % 7 == 0 && held.size() < 3) {
          held.add(s); // kept across refreshes: its generation must stay readable and unchanged
          heldAt.add(last);
        } else {
          s.close();
        }
        if (held.size() == 3 || (checks % 11 == 0 && !held.isEmpty())) {
          Snapshot old = held.poll();
          long at = heldAt.poll();
          if (check(old) != at) {
            throw new IllegalStateException("a snapshot held across refreshes changed");
          }
          old.close();
        }
        checks++;
      }
      for (Snapshot s : held) {
        s.close();
      }
      System.out.println("checked " + checks + " last " + lastSeen + " refreshes " + ((ReadOnlyStore) r).refreshCounts());
    } catch (RuntimeException | Error e) {
      System.out.println("error: " + e);
      e.printStackTrace();
      System.out.flush();
      System.exit(1);
    }
    System.out.flush();
  }
}
