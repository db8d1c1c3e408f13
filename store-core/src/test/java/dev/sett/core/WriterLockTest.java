package dev.sett.core;

import static dev.sett.core.StoreTestSupport.b;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sett.api.Store;
import dev.sett.api.StoreLockedException;
import dev.sett.api.StoreOptions;
import java.io.File;
import java.lang.reflect.InvocationTargetException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * One writer: whatever this process does to reach the directory again (a refused second open, a
 * read of the holder's pid, an alias path, another class loader's copy of Sett, code that opens and
 * closes the LOCK file), a writer in another JVM must still be refused while the first one writes.
 * On Linux, POSIX record locks (what {@code FileChannel.lock} takes) vanished on any of these.
 */
class WriterLockTest {
  @TempDir Path tmp;

  private Path dir() {
    return tmp.resolve("store");
  }

  /** A child JVM tries to open the store for writing: it must be refused. */
  private static void assertAnotherJvmIsRefused(Path dir) throws Exception {
    try (ChildProcess child = ChildProcess.start(true, "open", dir.toString())) {
      String line = child.awaitLine("failed");
      assertNotNull(line, "a writer in another JVM opened the store while this one holds it");
      assertTrue(line.startsWith("failed StoreLockedException"), line);
      assertTrue(line.contains("pid " + ProcessHandle.current().pid()), line);
    }
  }

  private static void assertStillWrites(Store s) {
    s.put(b("after"), b("ok"));
    assertArrayEquals(b("ok"), s.get(b("after")));
  }

  @Test
  @EnabledOnOs(OS.LINUX)
  void theLockIsAnFlockOnLinux() throws Exception {
    Files.createDirectories(dir());
    try (DirectoryLock lock = DirectoryLock.tryAcquire(dir().resolve("LOCK"), false)) {
      assertNotNull(lock);
      assertEquals("flock", lock.kind(), "the native lock did not load; the JDK fallback is weaker");
    }
  }

  @Test
  void aRefusedSecondOpenInThisProcessKeepsTheLock() throws Exception {
    try (Store s = Sett.open(dir())) {
      assertThrows(StoreLockedException.class, () -> Sett.open(dir()));
      assertThrows(StoreLockedException.class, () -> Sett.open(dir(), StoreOptions.builder().readOnly(true).build()));
      assertAnotherJvmIsRefused(dir());
      assertStillWrites(s);
    }
  }

  @Test
  void readingTheLockFileKeepsTheLock() throws Exception {
    try (Store s = Sett.open(dir())) {
      assertTrue(new String(Files.readAllBytes(dir().resolve("LOCK"))).startsWith("pid "));
      try (FileChannel ch = FileChannel.open(dir().resolve("LOCK"), StandardOpenOption.READ)) {
        assertTrue(ch.size() > 0);
      }
      assertAnotherJvmIsRefused(dir());
      assertStillWrites(s);
    }
  }

  @Test
  void anAliasPathIsRefusedInThisProcessAndAnother() throws Exception {
    Path alias = tmp.resolve("alias");
    try (Store s = Sett.open(dir())) {
      Files.createSymbolicLink(alias, dir());
      assertThrows(StoreLockedException.class, () -> Sett.open(alias));
      assertAnotherJvmIsRefused(alias);
      assertAnotherJvmIsRefused(dir());
      assertStillWrites(s);
    }
  }

  @Test
  void anotherClassLoadersCopyOfSettIsRefusedAndTheLockHolds() throws Exception {
    List<URL> urls = new ArrayList<>();
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      urls.add(Path.of(entry).toUri().toURL());
    }
    try (Store s = Sett.open(dir());
        URLClassLoader other = new URLClassLoader(urls.toArray(new URL[0]), ClassLoader.getPlatformClassLoader())) {
      Class<?> sett = other.loadClass(Sett.class.getName());
      assertTrue(sett != Sett.class);
      InvocationTargetException e = assertThrows(InvocationTargetException.class,
          () -> sett.getMethod("open", Path.class).invoke(null, dir()));
      assertEquals(StoreLockedException.class.getName(), e.getCause().getClass().getName(), String.valueOf(e.getCause()));
      assertAnotherJvmIsRefused(dir());
      assertStillWrites(s);
    }
  }

  @Test
  void readOnlyHandlesShareButNotWithAWriter() throws Exception {
    try (Store w = Sett.open(dir())) {
      w.put(b("k"), b("v"));
    }
    StoreOptions ro = StoreOptions.builder().readOnly(true).build();
    try (Store r1 = Sett.open(dir(), ro); Store r2 = Sett.open(dir(), ro)) {
      assertArrayEquals(b("v"), r1.get(b("k")));
      assertArrayEquals(b("v"), r2.get(b("k")));
      assertThrows(StoreLockedException.class, () -> Sett.open(dir()));
      try (ChildProcess child = ChildProcess.start(true, "open", dir().toString())) {
        assertNotNull(child.awaitLine("failed StoreLockedException"), "a writer got in beside readers");
      }
    }
    try (Store w = Sett.open(dir())) {
      assertStillWrites(w);
    }
  }

  @Test
  void aSecondJvmIsRefusedForAsLongAsTheFirstWritesAndNoAcknowledgedWriteIsLost() throws Exception {
    int acknowledged;
    StoreOptions synced = StoreOptions.builder().syncMode(dev.sett.api.SyncMode.ALWAYS).build();
    try (Store s = Sett.open(dir(), synced);
        ChildProcess child = ChildProcess.start(true, "contend", dir().toString(), "200")) {
      // Meanwhile this process provokes every way it could drop its own lock.
      int i = 0;
      String line = null;
      while (child.process.isAlive()) {
        s.put(b("key" + i), b("value" + i));
        i++;
        if (i % 20 == 0) {
          assertThrows(StoreLockedException.class, () -> Sett.open(dir()));
          Files.readAllBytes(dir().resolve("LOCK"));
        }
      }
      line = child.awaitLine("refused ");
      assertEquals("refused 200", line, "the other JVM got in at least once");
      acknowledged = i;
    }
    try (Store s = Sett.open(dir())) {
      for (int i = 0; i < acknowledged; i++) {
        assertArrayEquals(b("value" + i), s.get(b("key" + i)), "key" + i + " of " + acknowledged);
      }
      assertEquals(null, s.get(b("contender")));
    }
  }

  @Test
  @EnabledOnOs(OS.LINUX)
  void aBindMountedAliasIsRefused() throws Exception {
    Path alias = Files.createDirectories(tmp.resolve("bind"));
    try (Store s = Sett.open(dir())) {
      Process mount = new ProcessBuilder("mount", "--bind", dir().toString(), alias.toString())
          .redirectErrorStream(true).start();
      String out = new String(mount.getInputStream().readAllBytes());
      org.junit.jupiter.api.Assumptions.assumeTrue(mount.waitFor() == 0,
          () -> "bind mounts need root here: " + out.trim());
      try {
        assertThrows(StoreLockedException.class, () -> Sett.open(alias));
        assertAnotherJvmIsRefused(alias);
        assertStillWrites(s);
      } finally {
        new ProcessBuilder("umount", alias.toString()).inheritIO().start().waitFor();
      }
    }
  }
}
