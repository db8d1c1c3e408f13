package dev.sett.core;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeSet;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * How read-only handles in any process tell a live writer which segment files they map, so that
 * compaction never deletes one of them, and how the writer tells readers which files it has
 * compacted away. Everything lives in the store's {@value #DIR} directory:
 *
 * <table>
 *   <caption>Files of the {@value #DIR} directory</caption>
 *   <tr><th>file</th><th>written by</th><th>content (text, {@code key=value} lines)</th></tr>
 *   <tr><td>{@value #RETIRED}</td><td>the writer, replaced by a rename</td>
 *       <td>{@code generation=N}: bumped at every change, and at every writable open;
 *       {@code retired=ID ID ...}: segments compaction retired whose files still exist</td></tr>
 *   <tr><td>{@code PID-N.reader}</td><td>one read-only handle, replaced by a rename, deleted on close</td>
 *       <td>{@code pid}, {@code started} (the process's start, epoch ms) and {@code startTicks} (the
 *       same in clock ticks since boot, from {@code /proc}; -1 elsewhere): they tell a reused pid
 *       from the reader; {@code opened} (epoch ms), {@code segments=ID ID ...}: every segment file it
 *       maps</td></tr>
 * </table>
 *
 * <p><b>The protocol.</b> A reader reads {@value #RETIRED} (generation g), lists the segment files,
 * leaves out the retired ones, announces the rest in its reader file, then reads {@value #RETIRED}
 * again: only if the generation is still g may it map them, else it starts over. The writer deletes
 * a retired segment only after it published the segment as retired (a new generation) and then
 * found no live reader file naming it. So a reader either announced a file before the writer looked
 * (the writer then waits), or sees the new generation and leaves the file out. No lock is shared
 * between the processes, and the writer never waits for a reader to do anything.
 *
 * <p><b>Dead readers.</b> A reader file whose pid is gone, or belongs to a process started at
 * another time than the reader's, is deleted by whoever reads it: a reader killed with -9 pins
 * nothing once the writer looks again (every {@value #RECHECK_MILLIS} ms while a deletion waits).
 * Readers and writer must therefore see one process table: one host, one pid namespace.
 *
 * <p>Thread-safe: every method works on files only; a {@link Announcement} is guarded by its monitor.
 */
final class ReaderRegistry {
  static final String DIR = "readers";
  static final String RETIRED = "retired";
  static final String READER_SUFFIX = ".reader";
  /** How often a writer looks again at a deletion that a reader holds up. */
  static final long RECHECK_MILLIS = 500;
  private static final AtomicLong COUNTER = new AtomicLong(ThreadLocalRandom.current().nextInt(1 << 20));

  private final Path dir;

  ReaderRegistry(Path storeDir) {
    this.dir = storeDir.resolve(DIR);
  }

  Path dir() {
    return dir;
  }

  /** What the writer last published: its generation and the retired segments whose files remain. */
  record Retired(long generation, TreeSet<Integer> ids) {
    boolean contains(int id) {
      return ids.contains(id);
    }
  }

  /** A live reader as its file describes it. */
  record Reader(Path file, long pid, long startedMillis, long startTicks, long openedMillis, TreeSet<Integer> segments) {
  }

  // ---- the writer's side ----------------------------------------------------------------------

  /**
   * Publishes {@code retired} as the retired set of a new generation (one more than the last one
   * written, whatever process wrote it). Called by a writer at open (an empty set: every file the
   * directory holds is the writer's again) and before and after it deletes retired files.
   */
  synchronized long publish(Collection<Integer> retired) throws IOException {
    Files.createDirectories(dir);
    long generation = readRetired().generation + 1;
    StringBuilder b = new StringBuilder("# Sett: segments compacted away whose files wait for readers. Written by the writer.\n");
    b.append("generation=").append(generation).append('\n');
    b.append("retired=").append(join(new TreeSet<>(retired))).append('\n');
    replace(dir.resolve(RETIRED), b.toString());
    return generation;
  }

  /**
   * The live readers; reader files of dead processes are deleted on the way (and files that cannot
   * be parsed are left alone and ignored: Sett wrote them, and a reader is replacing one).
   */
  List<Reader> liveReaders() throws IOException {
    List<Reader> live = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      return live;
    }
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*" + READER_SUFFIX)) {
      for (Path f : files) {
        Reader r = readReader(f);
        if (r == null) {
          continue;
        }
        if (alive(r.pid, r.startedMillis, r.startTicks)) {
          live.add(r);
        } else {
          try {
            Files.deleteIfExists(f);
          } catch (IOException e) {
            // Another user's file in a directory this one may not write: the writer deletes it.
          }
        }
      }
    }
    return live;
  }

  /** Whether a live reader maps segment {@code id}. */
  boolean mappedByAReader(int id) throws IOException {
    for (Reader r : liveReaders()) {
      if (r.segments.contains(id)) {
        return true;
      }
    }
    return false;
  }

  // ---- the readers' side ----------------------------------------------------------------------

  /** The writer's last publication; generation 0 and nothing retired if it never wrote one. */
  Retired readRetired() throws IOException {
    Properties p;
    try {
      p = load(dir.resolve(RETIRED));
    } catch (NoSuchFileException e) {
      return new Retired(0, new TreeSet<>());
    }
    if (p == null) {
      return new Retired(0, new TreeSet<>());
    }
    return new Retired(parseLong(p.getProperty("generation"), 0), parseIds(p.getProperty("retired")));
  }

  /** What a reader may map: the directory's entries less the retired segments, and the generation. */
  record Listing(long generation, StoreEntries entries) {
  }

  /**
   * One round of the protocol: reads the retired set, lists the directory without it, announces
   * that (with {@code alsoMapped}, what the caller maps already), and reads the generation again.
   *
   * @return the listing, or null if the writer retired something meanwhile or the directory read
   *     missed a segment (list again)
   */
  Listing list(Storage storage, Path storeDir, Announcement announcement, Collection<Integer> alsoMapped)
      throws IOException {
    Retired retired = readRetired();
    StoreEntries scanned = StoreEntries.scan(storage, storeDir);
    // A directory read racing the writer's renames can return a newer segment and miss an older
    // one (ext4 returns a directory's names in hash order), and a reader mapping the newer without
    // the older shows later batches without earlier ones (seen: a reader at the end of segment N+1
    // that never had N). A second read finds such a miss: a segment older than the newest of the
    // first read that the first did not return. Segments newer than all of the first read's are
    // the writer moving on, which the next refresh picks up; they do not make this one list again
    // (with small segments the writer adds one every few milliseconds, and requiring two equal
    // reads made opens give up after 100 rounds).
    TreeSet<Integer> first = new TreeSet<>(scanned.segments);
    if (!first.isEmpty()) {
      for (int id : StoreEntries.scan(storage, storeDir).segments) {
        if (id < first.last() && !first.contains(id)) {
          return null;
        }
      }
    }
    StoreEntries entries = scanned.without(retired.ids());
    TreeSet<Integer> all = new TreeSet<>(entries.segments);
    all.addAll(alsoMapped);
    announcement.set(all);
    return readRetired().generation() == retired.generation() ? new Listing(retired.generation(), entries) : null;
  }

  /** How many rounds {@link #listSteadily} tries while the writer keeps retiring files. */
  static final int ATTEMPTS = 100;

  /**
   * {@link #list} until a round finds the writer's retired set unchanged.
   *
   * @throws IOException if the writer changed it in each of {@value #ATTEMPTS} rounds, or a file
   *     cannot be read or written
   */
  Listing listSteadily(Storage storage, Path storeDir, Announcement announcement, Collection<Integer> alsoMapped)
      throws IOException {
    for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
      Listing listing = list(storage, storeDir, announcement, alsoMapped);
      if (listing != null) {
        return listing;
      }
    }
    throw new IOException("the writer's compaction kept changing the files during " + ATTEMPTS + " attempts; try again");
  }

  /**
   * Creates this handle's reader file (announcing nothing yet). Fails if the directory cannot be
   * written: the caller decides whether a reader may go on unannounced.
   */
  Announcement announce() throws IOException {
    Files.createDirectories(dir);
    long pid = ProcessHandle.current().pid();
    Path file = dir.resolve(pid + "-" + COUNTER.incrementAndGet() + READER_SUFFIX);
    Announcement a = new Announcement(file, pid, startedMillis(ProcessHandle.current()), System.currentTimeMillis());
    a.set(List.of());
    return a;
  }

  /**
   * One read-only handle's reader file. {@link #set} replaces the segments it names (a rename, so
   * a writer reads the old set or the new one, never half); {@link #close} deletes it. Thread-safe.
   */
  static final class Announcement implements AutoCloseable {
    private final Path file;
    private final long pid;
    private final long started;
    private final long opened;
    private boolean closed;

    private Announcement(Path file, long pid, long started, long opened) {
      this.file = file;
      this.pid = pid;
      this.started = started;
      this.opened = opened;
    }

    Path file() {
      return file;
    }

    synchronized void set(Collection<Integer> segments) throws IOException {
      if (closed) {
        return;
      }
      replace(file, "# Sett: a read-only handle and the segment files it maps. Deleted when it closes.\n"
          + "pid=" + pid + "\nstarted=" + started + "\nstartTicks=" + startTicks(pid) + "\nopened=" + opened
          + "\nsegments="
          + join(new TreeSet<>(segments)) + "\n");
    }

    @Override
    public synchronized void close() {
      if (closed) {
        return;
      }
      closed = true;
      try {
        Files.deleteIfExists(file);
      } catch (IOException e) {
        // A leftover file of a closed handle names this live pid: it holds files back until this
        // process exits, when the next look deletes it. Not worth failing a close for.
      }
    }
  }

  // ---- files ------------------------------------------------------------------------------------

  private static Reader readReader(Path f) throws IOException {
    Properties p;
    try {
      p = load(f);
    } catch (NoSuchFileException gone) {
      return null;
    }
    if (p == null || p.getProperty("pid") == null) {
      return null;
    }
    return new Reader(f, parseLong(p.getProperty("pid"), -1), parseLong(p.getProperty("started"), -1),
        parseLong(p.getProperty("startTicks"), -1), parseLong(p.getProperty("opened"), -1),
        parseIds(p.getProperty("segments")));
  }

  /** Whether the process {@code pid}, started at {@code startedMillis} (-1: unknown), still runs. */
  static boolean alive(long pid, long startedMillis) {
    return alive(pid, startedMillis, -1);
  }

  /**
   * Whether the process {@code pid} still runs and is the one that wrote a reader file: its start
   * time in clock ticks since boot ({@code /proc/PID/stat}, exact) where both are known, else its
   * start in epoch milliseconds within 5 s. Not 1 s: the JDK derives that instant from the boot
   * time, which each JVM reads once and which moves when the wall clock is adjusted, so two JVMs
   * can disagree by a second about one process; a reused pid belongs to a process started later.
   */
  static boolean alive(long pid, long startedMillis, long startTicks) {
    Optional<ProcessHandle> h = ProcessHandle.of(pid);
    if (h.isEmpty() || !h.get().isAlive()) {
      return false;
    }
    long ticks = startTicks(pid);
    if (startTicks >= 0 && ticks >= 0) {
      return ticks == startTicks;
    }
    long now = startedMillis(h.get());
    return startedMillis < 0 || now < 0 || Math.abs(now - startedMillis) < 5_000;
  }

  /** Field 22 of {@code /proc/PID/stat}: when the process started, in clock ticks since boot; -1 elsewhere. */
  static long startTicks(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      // The command name (field 2) is in parentheses and may hold spaces: count from after it.
      String[] rest = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
      return Long.parseLong(rest[19]); // field 22 is the 20th after the name
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  private static long startedMillis(ProcessHandle h) {
    return h.info().startInstant().map(java.time.Instant::toEpochMilli).orElse(-1L);
  }

  private static Properties load(Path f) throws IOException {
    byte[] bytes = Files.readAllBytes(f);
    Properties p = new Properties();
    try {
      p.load(new java.io.StringReader(new String(bytes, StandardCharsets.UTF_8)));
    } catch (IllegalArgumentException e) {
      return null;
    }
    return p;
  }

  /** Writes {@code content} to a temporary file and renames it over {@code target}. */
  private static void replace(Path target, String content) throws IOException {
    Path tmp = target.resolveSibling(target.getFileName() + ".tmp" + COUNTER.incrementAndGet());
    try {
      Files.write(tmp, content.getBytes(StandardCharsets.UTF_8));
      try {
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  private static String join(TreeSet<Integer> ids) {
    StringBuilder b = new StringBuilder();
    for (int id : ids) {
      if (b.length() > 0) {
        b.append(' ');
      }
      b.append(id);
    }
    return b.toString();
  }

  private static TreeSet<Integer> parseIds(String s) {
    TreeSet<Integer> ids = new TreeSet<>();
    if (s == null) {
      return ids;
    }
    for (String part : s.trim().split("\\s+")) {
      if (!part.isEmpty()) {
        try {
          ids.add(Integer.parseInt(part));
        } catch (NumberFormatException e) {
          // not Sett's: ignored
        }
      }
    }
    return ids;
  }

  private static long parseLong(String s, long otherwise) {
    try {
      return s == null ? otherwise : Long.parseLong(s.trim());
    } catch (NumberFormatException e) {
      return otherwise;
    }
  }
}
