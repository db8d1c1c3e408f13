package dev.sett.tools;

import dev.sett.api.NotAStoreException;
import dev.sett.api.StorageException;
import dev.sett.api.StoreLockedException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The directory {@code sett demo} works in. The demo only ever replaces a store it created itself:
 * one with the engine's {@value #STORE_MARKER} file <em>and</em> the demo's own
 * {@value #DEMO_MARKER} note. A directory with only {@value #STORE_MARKER} is someone's real store,
 * so it is refused like any other non-empty directory.
 */
final class DemoDirectory {
  /** Written by the engine into every store directory. */
  static final String STORE_MARKER = "sett.store";
  /** Written by the demo next to it, so that a later run knows it may wipe the directory. */
  static final String DEMO_MARKER = "sett-demo.txt";
  /** The engine's lock file (see the engine's StoreDirectory). */
  private static final String LOCK = "LOCK";
  private static final String READERS = "readers";

  private DemoDirectory() {
  }

  /**
   * Makes {@code dir} ready for a new store: nothing to do if it is absent or empty, and a previous
   * demo store is deleted.
   *
   * @return whether a previous demo store was deleted
   * @throws NotAStoreException if {@code dir} is a file, or a non-empty directory that is not a demo
   *     store (nothing is changed then)
   * @throws StoreLockedException if a process has the previous demo store open
   */
  static boolean prepare(Path dir) {
    if (!Files.exists(dir)) {
      return false;
    }
    if (!Files.isDirectory(dir)) {
      throw new NotAStoreException(dir, dir + " is a file; give 'sett demo' a new or empty directory");
    }
    List<Path> entries = list(dir);
    if (entries.stream().allMatch(p -> p.getFileName().toString().equals(LOCK))) {
      return false; // empty, or left so by a wipe: the engine treats it as empty too
    }
    boolean store = Files.exists(dir.resolve(STORE_MARKER));
    boolean demo = Files.exists(dir.resolve(DEMO_MARKER));
    if (!store || !demo) {
      throw new NotAStoreException(dir, dir + (store
          ? " is a Sett store that 'sett demo' did not create (it has no " + DEMO_MARKER + "),"
          : " is not empty and is not a demo store,")
          + " so 'sett demo' leaves it alone; give it a new or empty directory");
    }
    for (Path p : entries) {
      if (Files.isDirectory(p) && p.getFileName().toString().equals(READERS)) {
        continue; // where the store's read-only handles announce themselves
      }
      if (Files.isDirectory(p)) {
        throw new NotAStoreException(dir, dir + " looks like a demo store but holds the directory "
            + p.getFileName() + ", which Sett never creates, so 'sett demo' leaves it alone;"
            + " give it a new or empty directory");
      }
    }
    wipe(dir, entries);
    return true;
  }

  /** Leaves the note that lets a later run of the demo replace this store. */
  static void markAsDemo(Path dir) {
    String note = "This Sett store was created by 'sett demo' (sett " + SettCli.version() + ") at "
        + Instant.now().truncatedTo(ChronoUnit.SECONDS) + ".\n"
        + "Running 'sett demo' on this directory again deletes and recreates it; delete this file to"
        + " keep that from happening.\n";
    try {
      Files.writeString(dir.resolve(DEMO_MARKER), note, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new StorageException("could not write " + dir.resolve(DEMO_MARKER) + ": " + e.getMessage(),
          e, false);
    }
  }

  /**
   * Deletes the files of a demo store while holding the store's lock, so that a store in use by
   * another process is never pulled from under it. The two marker files go last, so that a wipe
   * cut short still looks like a demo store to the next run. The lock file itself stays (an engine
   * treats a directory holding only it as empty).
   */
  private static void wipe(Path dir, List<Path> entries) {
    Path lockFile = dir.resolve(LOCK);
    try (FileChannel ch = FileChannel.open(lockFile, StandardOpenOption.CREATE,
        StandardOpenOption.WRITE)) {
      FileLock lock;
      try {
        lock = ch.tryLock();
      } catch (OverlappingFileLockException e) {
        lock = null; // this JVM holds it: the store is open here
      }
      if (lock == null) {
        String holder = Files.readString(lockFile, StandardCharsets.UTF_8).trim();
        throw new StoreLockedException(dir, dir + " is open" + (holder.isEmpty() ? "" : " by " + holder)
            + "; close it before running 'sett demo' on it again");
      }
      try {
        // Read-only handles take no lock: ask the registry whether one is open.
        java.util.List<dev.sett.api.StoreActivity.Reader> readers = dev.sett.core.Sett.activity(dir).readers();
        if (!readers.isEmpty()) {
          throw new StoreLockedException(dir, dir + " is open by " + readers.size() + " read-only handle(s) (pid "
              + readers.get(0).pid() + "); close them before running 'sett demo' on it again");
        }
        for (Path p : entries) {
          String name = p.getFileName().toString();
          if (name.equals(READERS) && Files.isDirectory(p)) {
            for (Path f : list(p)) {
              Files.delete(f); // leftovers of readers that are gone, and the writer's generation file
            }
            Files.delete(p);
          } else if (!name.equals(LOCK) && !name.equals(STORE_MARKER) && !name.equals(DEMO_MARKER)) {
            Files.delete(p);
          }
        }
        Files.delete(dir.resolve(STORE_MARKER));
        Files.delete(dir.resolve(DEMO_MARKER));
      } finally {
        lock.release();
      }
    } catch (IOException e) {
      throw new StorageException("could not delete the previous demo store in " + dir + ": " + e, e,
          false);
    }
  }

  private static List<Path> list(Path dir) {
    try (Stream<Path> s = Files.list(dir)) {
      return s.collect(Collectors.toList());
    } catch (IOException e) {
      throw new StorageException("could not list " + dir + ": " + e, e, false);
    }
  }
}
