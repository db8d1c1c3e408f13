package dev.sett.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.sett.api.CorruptionException;
import dev.sett.api.Store;
import dev.sett.api.StoreLockedException;
import dev.sett.api.StoreOptions;
import java.io.File;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One writer at a time, whichever way the directory is reached: nothing this process does with the
 * store's {@code LOCK} file, and no path or class loader it reaches the store through, may cost a
 * writer its lock. Each case ends with a second JVM that must still be refused while the first
 * handle is open (issue 10: a refused open closed its descriptor of {@code LOCK}, which drops every
 * POSIX lock the process holds on the file, and a second writer then destroyed synced writes).
 */
class WriterLockTest {
  private static final StoreOptions OPTIONS = ChildProcessMain.OPTIONS;
  private static final StoreOptions READ_ONLY = OPTIONS.toBuilder().readOnly(true).build();
  private static final long PID = ProcessHandle.current().pid();

  @TempDir Path tmp;

  Path dir() {
    return tmp.resolve("store");
  }

  /** Code outside Sett in this process opens and closes LOCK (here, while a reader holds it). */
  void otherCodeReadsTheLockFile() throws IOException {
    Files.readAllBytes(dir().resolve(StoreDirectory.LOCK));
  }

  /** JVM options of the child JVMs. */
  List<String> childJvmOptions() {
    return List.of();
  }

  @Test
  void linuxUsesOpenFileDescriptionLocks() {
    String arch = System.getProperty("os.arch");
    boolean linux = System.getProperty("os.name").equals("Linux");
    assumeTrue(linux && (arch.equals("amd64") || arch.equals("aarch64")),
        "skipped: the native lock is used on Linux x86-64 and AArch64 only, this is "
            + System.getProperty("os.name") + " " + arch);
    assertEquals("ofd", DirectoryLock.mechanism(), "the native lock failed to load (see the log)");
  }

  @Test
  void aRefusedSecondOpenInThisProcessLeavesTheLockHeld() throws Exception {
    try (Store s = Sett.open(dir(), OPTIONS)) {
      s.put(b("k"), b("v"));
      assertLocked(() -> Sett.open(dir(), OPTIONS));
      assertReaderOpensAndLeavesTheLockHeld(dir(), 1);
      assertTrue(Sett.verify(dir()).ok(), "verify runs beside the writer");
      assertLocked(() -> Sett.open(dir(), OPTIONS));
      assertChildRefused(dir());
      s.put(b("k2"), b("v2"));
    }
    assertReopens(2);
  }

  @Test
  void readingTheHoldersPidLeavesTheLockHeld() throws Exception {
    try (Store s = Sett.open(dir(), OPTIONS)) {
      assertEquals("pid " + PID, StoreDirectory.holder(dir().resolve(StoreDirectory.LOCK)));
      StoreLockedException e = assertLocked(() -> Sett.open(dir(), OPTIONS));
      assertTrue(e.getMessage().contains("pid " + PID) || e.getMessage().contains("this process"),
          e.getMessage());
      assertChildRefused(dir());
      s.put(b("k"), b("v"));
    }
    assertReopens(1);
  }

  @Test
  void aSymlinkedAliasIsTheSameStore() throws Exception {
    Path alias = Files.createSymbolicLink(tmp.resolve("alias"), dir().getFileName());
    try (Store s = Sett.open(dir(), OPTIONS)) {
      assertLocked(() -> Sett.open(alias, OPTIONS));
      assertReaderOpensAndLeavesTheLockHeld(alias, 0);
      assertChildRefused(dir(), alias);
      s.put(b("k"), b("v"));
    }
    try (Store s = Sett.open(alias, OPTIONS)) {
      assertLocked(() -> Sett.open(dir(), OPTIONS));
      assertChildRefused(dir(), alias);
      s.put(b("k2"), b("v2"));
    }
    assertReopens(2);
  }

  /** A path decided when the store was opened names nothing once the directory is renamed. */
  @Test
  void aStoreDirectoryRenamedWhileOpenIsTheSameStore() throws Exception {
    Path moved = tmp.resolve("moved");
    try (Store s = Sett.open(dir(), OPTIONS)) {
      s.put(b("k"), b("v"));
      Files.move(dir(), moved);
      try {
        assertLocked(() -> Sett.open(moved, OPTIONS));
        assertChildRefused(moved);
      } finally {
        Files.move(moved, dir()); // the open handle still uses the old path
      }
      s.put(b("k2"), b("v2"));
    }
    assertReopens(2);
  }

  @Test
  void anotherClassLoadersCopyOfSettIsRefused() throws Exception {
    try (URLClassLoader other = testClassPathLoader()) {
      Method mechanism = other.loadClass(DirectoryLock.class.getName()).getDeclaredMethod("mechanism");
      mechanism.setAccessible(true);
      assertEquals(DirectoryLock.mechanism(), mechanism.invoke(null), "the copy locks the same way");
      try (Store s = Sett.open(dir(), OPTIONS)) {
        for (int i = 0; i < 2; i++) {
          InvocationTargetException e = assertThrows(InvocationTargetException.class,
              () -> closeIfOpened(openIn(other, dir(), false)),
              "another class loader's Sett opened the store");
          assertEquals(StoreLockedException.class.getName(), e.getCause().getClass().getName(),
              String.valueOf(e.getCause()));
          assertNotSame(StoreLockedException.class, e.getCause().getClass(), "the copy is a real copy");
          closeIfOpened(openIn(other, dir(), true)); // its readers share the store with this writer
        }
        assertChildRefused(dir());
        s.put(b("k"), b("v"));
      }
      // Its refusals left nothing behind: the copy can open the store once this one closed it.
      AutoCloseable theirs = (AutoCloseable) openIn(other, dir(), false);
      try {
        assertLocked(() -> Sett.open(dir(), OPTIONS));
        assertChildRefused(dir());
      } finally {
        theirs.close();
      }
    }
    assertReopens(1);
  }

  @Test
  void userCodeReadingOrCopyingTheLockFileLeavesTheLockHeld() throws Exception {
    try (Store s = Sett.open(dir(), OPTIONS)) {
      s.put(b("k"), b("v"));
      Path lock = dir().resolve(StoreDirectory.LOCK);
      assertTrue(new String(Files.readAllBytes(lock), StandardCharsets.UTF_8).startsWith("pid " + PID));
      Path copy = Files.createDirectories(tmp.resolve("copy"));
      try (Stream<Path> files = Files.list(dir())) { // a naive backup takes every file
        for (Path f : (Iterable<Path>) files::iterator) {
          Files.copy(f, copy.resolve(f.getFileName()));
        }
      }
      assertChildRefused(dir());
      s.put(b("k2"), b("v2"));
    }
    assertReopens(2);
  }

  /**
   * Code of this process that locks LOCK through the JDK (an older Sett in another class loader,
   * {@code sett demo}) holds a classic fcntl lock, which any close of a descriptor of the file would
   * drop: Sett's refused opens and its readers' closes must not close theirs then.
   */
  @Test
  void aJdkLockHeldByOtherCodeInThisProcessIsNeverReleasedBySett() throws Exception {
    Sett.open(dir(), OPTIONS).close();
    Path lock = dir().resolve(StoreDirectory.LOCK);
    try (FileChannel ch = FileChannel.open(lock, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      try (FileLock exclusive = ch.lock()) {
        assertTrue(exclusive.isValid());
        assertLocked(() -> Sett.open(dir(), OPTIONS));
        assertReaderOpensAndLeavesTheLockHeld(dir(), 0);
        assertEquals("pid " + PID, StoreDirectory.holder(lock));
        assertChildRefused(dir());
      }
      try (ChildProcess reader = ChildProcess.start(true, childJvmOptions(), "hold-ro", dir().toString())) {
        assertNotNull(reader.awaitLine("open"));
        // Taken after the child's, so that the kernel names the child's lock as the conflict and
        // Sett has to find this one in /proc/locks.
        try (FileLock shared = ch.lock(0, Long.MAX_VALUE, true)) {
          assertTrue(shared.isShared());
          Sett.open(dir(), READ_ONLY).close(); // a reader of Sett beside it, and its close
          assertLocked(() -> Sett.open(dir(), OPTIONS));
          reader.kill();
          assertChildRefusedByReaders(dir()); // the JDK lock still keeps writers out
        }
      }
    }
    try (Store s = Sett.open(dir(), OPTIONS)) {
      assertEquals(0, s.stats().liveKeys());
    }
  }

  @Test
  void aBindMountedAliasIsTheSameStore() throws Exception {
    Sett.open(dir(), OPTIONS).close();
    Path mount = Files.createDirectories(tmp.resolve("bind"));
    String why = run("mount", "--bind", dir().toString(), mount.toString());
    assumeTrue(why.isEmpty(), "skipped: cannot bind-mount here (" + why + ")");
    try {
      try (Store s = Sett.open(dir(), OPTIONS)) {
        assertLocked(() -> Sett.open(mount, OPTIONS));
        assertReaderOpensAndLeavesTheLockHeld(mount, 0);
        assertChildRefused(dir(), mount);
        s.put(b("k"), b("v"));
      }
      try (Store s = Sett.open(mount, OPTIONS)) {
        assertLocked(() -> Sett.open(dir(), OPTIONS));
        assertChildRefused(dir(), mount);
        s.put(b("k2"), b("v2"));
      }
    } finally {
      String unmounted = run("umount", mount.toString());
      assertEquals("", unmounted, "could not unmount " + mount);
    }
    assertReopens(2);
  }

  @Test
  void readOnlyHandlesShareAcrossProcessesAndLetAWriterIn() throws Exception {
    try (Store s = Sett.open(dir(), OPTIONS)) {
      s.put(b("k"), b("v"));
    }
    try (Store ro = Sett.open(dir(), READ_ONLY)) {
      otherCodeReadsTheLockFile();
      try (ChildProcess child = ChildProcess.start(true, childJvmOptions(), "open", "ro:" + dir(),
          dir().toString())) {
        assertEquals("opened 1", outcome(child), "a second reader in another process");
        assertEquals("opened 1", outcome(child), "a writer in another process, beside readers");
      }
      assertArrayEquals(b("v"), ro.get(b("k")));
    }
    try (ChildProcess child = ChildProcess.start(true, childJvmOptions(), "hold-ro", dir().toString())) {
      assertNotNull(child.awaitLine("open"));
      try (Store w = Sett.open(dir(), OPTIONS); Store ro = Sett.open(dir(), READ_ONLY)) {
        assertArrayEquals(b("v"), ro.get(b("k")));
        assertArrayEquals(b("v"), w.get(b("k")));
        assertLocked(() -> Sett.open(dir(), OPTIONS));
      }
      child.kill();
    }
    assertReopens(1);
  }

  @Test
  void aWriterInAnotherJvmLetsReadersInAndKeepsWritersOut() throws Exception {
    try (ChildProcess child = ChildProcess.start(true, childJvmOptions(), "hold", dir().toString())) {
      assertNotNull(child.awaitLine("open"));
      try (Store ro = Sett.open(dir(), READ_ONLY)) {
        assertEquals(0, ro.stats().liveKeys());
      }
      StoreLockedException e = assertLocked(() -> Sett.open(dir(), OPTIONS));
      assertTrue(e.getMessage().contains("pid " + child.process.pid()), e.getMessage());
      assertTrue(Sett.verify(dir()).ok(), "verify runs beside a writer in another JVM");
      assertEquals(child.process.pid(), StoreDirectory.writerPid(dir()));
      child.kill();
    }
    try (Store ro = Sett.open(dir(), READ_ONLY)) {
      assertEquals(0, ro.stats().liveKeys(), "the lock died with its process");
    }
  }

  /**
   * The incident, end to end: a writer JVM that does everything above to itself between synced
   * writes, and a second JVM that tries to open the store over and over meanwhile. It must never get
   * in, and every write the first acknowledged must be there afterwards.
   */
  @Test
  void everyAcknowledgedWriteSurvivesASecondJvmTryingToOpen() throws Exception {
    Sett.open(dir(), ChildProcessMain.EXPOSED).close();
    Path alias = Files.createSymbolicLink(tmp.resolve("alias"), dir().getFileName());
    AtomicLong acked = new AtomicLong(-1);
    List<String> writerErrors = new ArrayList<>();
    String summary;
    List<String> intrusions = new ArrayList<>();
    try (ChildProcess writer = ChildProcess.start(true, childJvmOptions(), "write-exposed", dir().toString(),
        alias.toString())) {
      Thread reader = new Thread(() -> {
        try {
          String line;
          while ((line = writer.out.readLine()) != null) {
            if (line.startsWith("ack ")) {
              acked.set(Long.parseLong(line.substring(4)));
            } else {
              synchronized (writerErrors) {
                writerErrors.add(line);
              }
            }
          }
        } catch (IOException e) {
          // the writer was killed
        }
      });
      reader.setDaemon(true);
      reader.start();
      long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (acked.get() < 20 && writer.process.isAlive() && System.nanoTime() < until) {
        Thread.sleep(10);
      }
      assertTrue(acked.get() >= 20, "the writer did not get going");
      try (ChildProcess intruder = ChildProcess.start(true, childJvmOptions(), "intrude", dir().toString(),
          "2500")) {
        String line;
        while ((line = intruder.out.readLine()) != null && !line.startsWith("refused ")) {
          intrusions.add(line);
        }
        summary = line;
        intruder.process.waitFor(30, TimeUnit.SECONDS);
      }
      if (!writer.process.isAlive()) {
        synchronized (writerErrors) {
          writerErrors.add("the writer died");
        }
      }
      writer.kill();
      reader.join(10_000);
    }
    long last = acked.get();
    String damage = "";
    StoreOptions check = ChildProcessMain.EXPOSED;
    try {
      Sett.open(dir(), check).close();
    } catch (CorruptionException e) {
      damage = "the store no longer opens (" + e.getMessage() + "); with salvage: ";
      check = check.toBuilder().salvage(true).build();
    }
    int missing = 0;
    String firstMissing = null;
    try (Store s = Sett.open(dir(), check)) {
      byte[] pad = new byte[200];
      for (long i = 0; i <= last; i++) {
        byte[] v = s.get(ChildProcessMain.key(i));
        if (v == null || !java.util.Arrays.equals(ChildProcessMain.value(i, pad), v)) {
          missing++;
          firstMissing = firstMissing == null ? "key " + i : firstMissing;
        }
      }
    }
    long intruded = intrusions.stream().filter(l -> l.equals("intruded")).count();
    String what = "the writer acknowledged keys 0.." + last + "; the intruder: " + summary + ", "
        + intruded + " time(s) in, " + (intrusions.size() - intruded) + " other line(s)"
        + (intrusions.isEmpty() ? "" : ", the last: " + intrusions.get(intrusions.size() - 1))
        + "; the writer's complaints: " + writerErrors;
    assertEquals("", damage + (missing == 0 ? "" : missing + " of " + (last + 1) + " acknowledged keys lost"
        + " (first: " + firstMissing + ")"), what);
    assertTrue(intrusions.isEmpty(), "a second writer got in: " + what);
    assertTrue(writerErrors.isEmpty(), what);
    assertNotNull(summary, "the intruder did not finish");
    assertTrue(summary.matches("refused [1-9][0-9]* intruded 0"), what);
  }

  // --- helpers -------------------------------------------------------------------------------

  /** {@code open} must be refused with StoreLockedException (whatever it opened is closed again). */
  private static StoreLockedException assertLocked(Callable<?> open) {
    StoreLockedException e = assertThrows(StoreLockedException.class, () -> closeIfOpened(open.call()));
    assertTrue(e.getMessage().contains("already open"), e.getMessage());
    return e;
  }

  /**
   * A read-only handle opens beside this process's writer (through {@code path}) and sees its
   * {@code keys} keys; its open and close cost the writer nothing: a second writer is still refused.
   */
  void assertReaderOpensAndLeavesTheLockHeld(Path path, int keys) throws Exception {
    try (Store ro = Sett.open(path, READ_ONLY)) {
      assertEquals(keys, ro.stats().liveKeys());
    }
    assertLocked(() -> Sett.open(path, OPTIONS));
  }

  /**
   * Starts a child JVM that tries to open each of {@code dirs} ({@code "ro:" + dir} for read-only)
   * and must be refused every time, naming this process as the holder.
   */
  void assertChildRefused(Object... dirs) throws Exception {
    for (String line : childRefusals(dirs)) {
      assertTrue(line.contains("pid " + PID), line);
    }
  }

  /** As {@link #assertChildRefused}, for a refusal by a shared lock, which names no pid. */
  void assertChildRefusedByReaders(Object... dirs) throws Exception {
    for (String line : childRefusals(dirs)) {
      assertTrue(line.contains("pid " + PID) || line.contains("read-only handles"), line);
    }
  }

  private List<String> childRefusals(Object... dirs) throws Exception {
    String[] args = new String[dirs.length + 1];
    args[0] = "open";
    for (int i = 0; i < dirs.length; i++) {
      args[i + 1] = dirs[i].toString();
    }
    List<String> lines = new ArrayList<>();
    try (ChildProcess child = ChildProcess.start(true, childJvmOptions(), args)) {
      for (Object d : dirs) {
        String line = outcome(child);
        assertNotNull(line, "the child said nothing");
        assertTrue(line.startsWith("failed StoreLockedException"),
            "another JVM (opening " + d + ") must be refused while this one holds the store, got: " + line);
        lines.add(line);
      }
      assertEquals(0, child.process.waitFor());
    }
    return lines;
  }

  /** The store opens again with its keys, and once closed no descriptor of its LOCK is left open. */
  private void assertReopens(int keys) throws IOException {
    try (Store s = Sett.open(dir(), OPTIONS)) {
      assertEquals(keys, s.stats().liveKeys());
    }
    assertEquals(List.of(), descriptorsOf(dir().resolve(StoreDirectory.LOCK)), "descriptors left open");
  }

  /** This process's open descriptors of {@code file} (Linux), or none where that cannot be listed. */
  static List<String> descriptorsOf(Path file) throws IOException {
    Path fds = Path.of("/proc/self/fd");
    List<String> open = new ArrayList<>();
    if (!Files.isDirectory(fds)) {
      return open;
    }
    Path target = file.toRealPath();
    try (Stream<Path> s = Files.list(fds)) {
      for (Path fd : (Iterable<Path>) s::iterator) {
        try {
          if (Files.readSymbolicLink(fd).equals(target)) {
            open.add(fd.getFileName().toString());
          }
        } catch (IOException e) {
          // closed meanwhile
        }
      }
    }
    return open;
  }

  /** Sett, its API and its dependencies once more, in a class loader of their own. */
  private static URLClassLoader testClassPathLoader() throws IOException {
    List<URL> urls = new ArrayList<>();
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      if (!entry.isEmpty()) {
        urls.add(Path.of(entry).toUri().toURL());
      }
    }
    return new URLClassLoader("other-sett", urls.toArray(new URL[0]), ClassLoader.getPlatformClassLoader());
  }

  /** {@code Sett.open(dir, options)} through the copy of Sett in {@code loader}. */
  private static Object openIn(ClassLoader loader, Path dir, boolean readOnly) throws Exception {
    Class<?> optionsClass = loader.loadClass("dev.sett.api.StoreOptions");
    Object builder = optionsClass.getMethod("builder").invoke(null);
    Method readOnlySetter = builder.getClass().getMethod("readOnly", boolean.class);
    builder = readOnlySetter.invoke(builder, readOnly);
    builder = builder.getClass().getMethod("segmentSize", int.class).invoke(builder, 64 << 10);
    Object options = builder.getClass().getMethod("build").invoke(builder);
    Class<?> sett = loader.loadClass("dev.sett.core.Sett");
    assertNotSame(Sett.class, sett);
    return sett.getMethod("open", Path.class, optionsClass).invoke(null, dir, options);
  }

  /** Runs a command; returns "" on success, otherwise what went wrong. */
  private static String run(String... command) {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return String.join(" ", command) + " did not finish";
      }
      return p.exitValue() == 0 ? "" : String.join(" ", command) + " exited " + p.exitValue() + ": " + out;
    } catch (IOException e) {
      return String.join(" ", command) + ": " + e.getMessage();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted";
    }
  }

  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static void closeIfOpened(Object opened) throws Exception {
    if (opened instanceof AutoCloseable) {
      ((AutoCloseable) opened).close();
    }
  }

  /** The child's next outcome line ("opened ..." or "failed ..."), or null at the end of its output. */
  private static String outcome(ChildProcess child) throws IOException {
    String line;
    while ((line = child.out.readLine()) != null) {
      if (line.startsWith("opened") || line.startsWith("failed")) {
        return line;
      }
    }
    return null;
  }
}
