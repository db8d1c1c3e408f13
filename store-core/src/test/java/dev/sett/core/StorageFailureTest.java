package dev.sett.core;

import static dev.sett.core.StoreTestSupport.assertValue;
import static dev.sett.core.StoreTestSupport.b;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sett.api.StorageException;
import dev.sett.api.Store;
import dev.sett.api.StoreOptions;
import dev.sett.api.SyncMode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the store does when the file system fails under it. */
class StorageFailureTest {
  private static final StoreOptions OPTIONS = StoreOptions.builder().segmentSize(64 << 10).build();

  @TempDir Path dir;

  /** Fails segment creation as a full disk would, while {@code full} is set. */
  private static final class FullDisk extends DelegatingStorage {
    volatile boolean full;
    volatile boolean failForce;

    FullDisk() {
      super(FileStorage.INSTANCE);
    }

    @Override
    public void createFilled(Path file, ByteBuffer header, int size) throws IOException {
      if (full) {
        Files.write(file, new byte[100]);
        Files.delete(file);
        throw new IOException("No space left on device");
      }
      super.createFilled(file, header, size);
    }

    @Override
    public void force(Path file) throws IOException {
      if (failForce) {
        throw new IOException("Input/output error");
      }
      super.force(file);
    }
  }

  @Test
  void aFullDiskAtRollIsAnExceptionAndTheStoreCarriesOnOnceSpaceIsFreed() throws Exception {
    FullDisk storage = new FullDisk();
    try (Store s = SettStore.open(storage, dir, OPTIONS)) {
      int i = 0;
      for (; i < 10; i++) {
        s.put(b("k" + i), new byte[1000]);
      }
      storage.full = true;
      StorageException e = null;
      for (; i < 1000 && e == null; i++) {
        try {
          s.put(b("k" + i), new byte[1000]);
        } catch (StorageException x) {
          e = x;
        }
      }
      assertTrue(e != null, "a roll was needed");
      assertTrue(e.diskFull());
      assertTrue(e.getMessage().contains("disk is full"), e.getMessage());
      int failedAt = i - 1;
      for (int k = 0; k < failedAt; k++) {
        assertEquals(1000, s.get(b("k" + k)).length, "still readable");
      }
      assertFalse(s.contains(b("k" + failedAt)), "the failed write left nothing");
      storage.full = false;
      s.put(b("after"), b("space freed"));
      assertValue("space freed", s.get(b("after")));
    }
    try (Store s = Sett.open(dir, OPTIONS)) {
      assertValue("space freed", s.get(b("after")));
      assertEquals(1000, s.get(b("k0")).length);
    }
  }

  @Test
  void aFailedForceMakesTheStoreRefuseWritesUntilReopened() {
    FullDisk storage = new FullDisk();
    try (Store s = SettStore.open(storage, dir, OPTIONS.toBuilder().syncMode(SyncMode.ALWAYS).build())) {
      s.put(b("before"), b("ok"));
      storage.failForce = true;
      StorageException e = assertThrows(StorageException.class, () -> s.put(b("during"), b("?")));
      assertTrue(e.getMessage().contains("reopen"), e.getMessage());
      storage.failForce = false;
      assertThrows(StorageException.class, () -> s.put(b("after"), b("no")),
          "a failed fsync is not retried as if nothing happened");
      assertThrows(StorageException.class, s::sync);
      assertValue("ok", s.get(b("before")));
    }
    try (Store s = Sett.open(dir, OPTIONS)) {
      assertValue("ok", s.get(b("before")));
      s.put(b("after"), b("yes"));
      assertValue("yes", s.get(b("after")));
    }
  }
}
