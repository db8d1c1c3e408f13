package dev.sett.core;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import net.openhft.chronicle.bytes.MappedBytesStore;
import net.openhft.chronicle.bytes.MappedFile;
import net.openhft.chronicle.core.io.ReferenceOwner;

/**
 * A whole segment mapped as one Chronicle Bytes chunk ({@code MappedFile.of} +
 * {@code acquireByteStore}; not {@code MappedBytes.singleMappedBytes}, which never unmaps).
 * Releasing it really unmaps (on Chronicle's releaser thread, within milliseconds).
 */
final class ChronicleRegion implements MappedRegion {
  private final Path file;
  private final int size;
  private final MappedFile mappedFile;
  private final MappedBytesStore store;
  private final ReferenceOwner owner;
  private final AtomicBoolean released = new AtomicBoolean();
  private volatile ByteBuffer anchored;
  private volatile ByteBuffer temporary;
  private final ViewHold viewHold;
  private final boolean readOnly;

  /**
   * The bytes of this region's JDK view mapping that stay mapped after {@link #release()}, until
   * the garbage collector finds no view using them. Refers to neither the region nor the buffer, so
   * that it can be the collector's callback.
   */
  private static final class ViewHold {
    private final int size;
    private AtomicLong counter;
    private boolean collected;

    ViewHold(int size) {
      this.size = size;
    }

    synchronized void collected() {
      collected = true;
      if (counter != null) {
        counter.addAndGet(-size);
        counter = null;
      }
    }

    synchronized void countIn(AtomicLong into) {
      if (!collected && counter == null) {
        counter = into;
        into.addAndGet(size);
      }
    }
  }

  private ChronicleRegion(Path file, int size, MappedFile mappedFile, MappedBytesStore store,
      ReferenceOwner owner, boolean readOnly) {
    this.readOnly = readOnly;
    this.file = file;
    this.size = size;
    this.mappedFile = mappedFile;
    this.store = store;
    this.owner = owner;
    this.viewHold = new ViewHold(size);
  }

  static ChronicleRegion map(Path file, int size, boolean readOnly) throws IOException {
    MappingCensus.reserve(file);
    ReferenceOwner owner = ReferenceOwner.temporary("sett-segment");
    MappedFile mf;
    try {
      mf = MappedFile.of(file.toFile(), size, 0, readOnly);
    } catch (IOException | RuntimeException | Error e) {
      MappingCensus.released();
      throw e;
    }
    try {
      MappedBytesStore store = mf.acquireByteStore(owner, 0);
      // The store holds its own reference to the file; dropping ours now means releasing the
      // store is what unmaps.
      mf.releaseLast();
      return new ChronicleRegion(file, size, mf, store, owner, readOnly);
    } catch (IOException | RuntimeException | Error e) {
      mf.releaseLast();
      MappingCensus.released();
      throw e;
    }
  }

  @Override
  public int size() {
    return size;
  }

  @Override
  public byte readByte(long offset) {
    return store.readByte(offset);
  }

  @Override
  public short readShort(long offset) {
    return store.readShort(offset);
  }

  @Override
  public int readInt(long offset) {
    return store.readInt(offset);
  }

  @Override
  public long readLong(long offset) {
    return store.readLong(offset);
  }

  @Override
  public void read(long offset, byte[] dst, int dstOffset, int length) {
    store.read(offset, dst, dstOffset, length);
  }

  @Override
  public void writeByte(long offset, byte value) {
    store.writeByte(offset, value);
  }

  @Override
  public void writeShort(long offset, short value) {
    store.writeShort(offset, value);
  }

  @Override
  public void writeInt(long offset, int value) {
    store.writeInt(offset, value);
  }

  @Override
  public void writeLong(long offset, long value) {
    store.writeLong(offset, value);
  }

  @Override
  public void write(long offset, byte[] src, int srcOffset, int length) {
    // Through a JDK buffer over the same memory: its bulk put is one memory copy, where the mapping
    // library copies short arrays a byte at a time (15% of a bulk load's CPU).
    if (readOnly) {
      // The buffer would write to read-only memory and kill the JVM; the library's own writes throw.
      throw new IllegalStateException("Read Only: " + file + " is mapped read-only");
    }
    whole().put((int) offset, src, srcOffset, length);
  }

  /** A direct buffer over the whole mapping that holds no reference to it: callers hold a pin. */
  private ByteBuffer whole() {
    ByteBuffer whole = temporary;
    if (whole == null) {
      whole = store.toTemporaryDirectByteBuffer();
      temporary = whole;
    }
    return whole;
  }

  @Override
  public void updateCrc(java.util.zip.CRC32C crc, long offset, int length) {
    ByteBuffer whole = whole();
    crc.update(whole.duplicate().limit((int) (offset + length)).position((int) offset));
  }

  @Override
  public ByteBuffer anchoredReadOnlyBuffer() {
    ByteBuffer b = anchored;
    if (b == null) {
      synchronized (this) {
        b = anchored;
        if (b == null) {
          // A JDK mapping is unmapped only when the garbage collector finds no buffer using it, so
          // a user's view can never touch unmapped memory, whatever the user does.
          MappingCensus.reserve(file);
          try {
            b = InterruptSafeIo.call(() -> {
              try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
                return ch.map(FileChannel.MapMode.READ_ONLY, 0, size);
              }
            });
          } catch (IOException e) {
            MappingCensus.released();
            throw new dev.sett.api.StorageException("cannot map " + file + " for reading a view: "
                + e.getMessage(), e, StorageErrors.isDiskFull(e));
          } catch (RuntimeException | Error e) {
            MappingCensus.released();
            throw e;
          }
          MappingCensus.trackViewMapping(b, viewHold::collected);
          anchored = b;
        }
      }
    }
    return b;
  }

  @Override
  public boolean countRetainedViewBytes(AtomicLong into) {
    if (anchored == null) {
      return false;
    }
    viewHold.countIn(into);
    return true;
  }

  @Override
  public void dropPageTableEntries() {
    if (!released.get()) { // the caller's pin keeps it mapped: this only catches a misuse
      PageTables.drop(mappedAddress(), mappedLength());
    }
  }

  /**
   * Where the mapping starts and how long it is: the library maps chunk 0 of {@code size} bytes
   * with no overlap, so exactly {@code [address, address + size)} (PageTablesTest checks this
   * against /proc/self/maps, so that a library upgrade mapping more or less cannot make
   * {@link PageTables#drop} reach past the mapping).
   */
  long mappedAddress() {
    return store.addressForRead(0);
  }

  long mappedLength() {
    return Math.min(size, store.realCapacity());
  }

  @Override
  public void release() {
    if (released.compareAndSet(false, true)) {
      temporary = null;
      store.release(owner);
      MappingCensus.released();
      anchored = null;
    }
  }

  @Override
  public String toString() {
    return "ChronicleRegion[" + file + ", " + size + " bytes, " + mappedFile.refCount() + " refs]";
  }
}
