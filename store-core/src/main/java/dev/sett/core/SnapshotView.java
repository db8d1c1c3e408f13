package dev.sett.core;

import java.nio.ByteBuffer;

/**
 * A zero-copy view returned by a snapshot or cursor. Its reads go through the segment's own
 * (Chronicle) mapping, the one the lookup used, so a view adds no mapping of its own: each access
 * enters a read epoch and checks that the snapshot is still open inside it. A close racing with the
 * access then either comes first (the check throws {@link dev.sett.api.StoreClosedException}) or
 * finds the access in its epoch and leaves the segment mapped until it is done (see
 * {@link DeferredUnmaps}), so no use of a view can touch unmapped memory.
 *
 * <p>Only {@link #asByteBuffer()}, {@link #transferTo} and copies into direct buffers hand memory to
 * code Sett cannot bracket with an epoch; they use the segment's JDK read-only mapping, created on
 * first such use and released by the garbage collector once no buffer references it.
 *
 * <p>Immutable; may be read from several threads while its snapshot is open.
 */
final class SnapshotView extends AbstractByteView {
  private final SettSnapshot owner;
  private final ReadEpochs epochs;
  private final Segment segment;
  private final int offset;
  private final int length;

  SnapshotView(SettSnapshot owner, ReadEpochs epochs, Segment segment, int offset, int length) {
    this.owner = owner;
    this.epochs = epochs;
    this.segment = segment;
    this.offset = offset;
    this.length = length;
  }

  @Override
  void checkUsable() {
    owner.checkNotClosed();
  }

  @Override
  int length() {
    return length;
  }

  @Override
  byte rawByte(int index) {
    ReadEpochs.Slot e = epochs.enter();
    try {
      owner.checkNotClosed();
      return segment.region().readByte(offset + (long) index);
    } finally {
      epochs.exit(e);
    }
  }

  @Override
  int rawInt(int index) {
    ReadEpochs.Slot e = epochs.enter();
    try {
      owner.checkNotClosed();
      return Integer.reverseBytes(segment.region().readInt(offset + (long) index));
    } finally {
      epochs.exit(e);
    }
  }

  @Override
  long rawLong(int index) {
    ReadEpochs.Slot e = epochs.enter();
    try {
      owner.checkNotClosed();
      return Long.reverseBytes(segment.region().readLong(offset + (long) index));
    } finally {
      epochs.exit(e);
    }
  }

  @Override
  void rawCopy(int index, byte[] dst, int dstOffset, int len) {
    ReadEpochs.Slot e = epochs.enter();
    try {
      owner.checkNotClosed();
      segment.region().read(offset + (long) index, dst, dstOffset, len);
    } finally {
      epochs.exit(e);
    }
  }

  @Override
  ByteBuffer rawBuffer() {
    // Checked inside the epoch as well: a segment unmapped after the snapshot closed must not be
    // asked for a new mapping.
    ReadEpochs.Slot e = epochs.enter();
    try {
      owner.checkNotClosed();
      return segment.region().anchoredReadOnlyBuffer().slice(offset, length);
    } finally {
      epochs.exit(e);
    }
  }
}
