package dev.sett.core;

import static dev.sett.core.SegmentFormat.RECORD_HEADER_SIZE;
import static dev.sett.core.SegmentFormat.R_CRC;
import static dev.sett.core.SegmentFormat.R_FLAGS;
import static dev.sett.core.SegmentFormat.R_KEY_LENGTH;
import static dev.sett.core.SegmentFormat.R_PREVIOUS;
import static dev.sett.core.SegmentFormat.R_SEQUENCE;
import static dev.sett.core.SegmentFormat.R_TYPE;
import static dev.sett.core.SegmentFormat.R_VALUE_LENGTH;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.zip.CRC32C;

/**
 * Builds one record's header, its checksum included, and its expiry field (the layout is
 * {@link SegmentFormat}'s table) in scratch arrays, which the segment's writer then copies to the
 * mapping or to a staged batch after the key and value.
 *
 * <p>Not thread-safe: one per segment, used only by the store's writer under its lock; the arrays
 * hold the last record encoded until the next {@link #encode}.
 */
final class RecordEncoder {
  /** The header of the last record encoded. */
  final byte[] header = new byte[RECORD_HEADER_SIZE];
  /** The expiry field of the last record encoded, if it expires. */
  final byte[] expiry = new byte[SegmentFormat.EXPIRY_SIZE];
  private final ByteBuffer headerBuffer = ByteBuffer.wrap(header).order(ByteOrder.LITTLE_ENDIAN);
  private final ByteBuffer expiryBuffer = ByteBuffer.wrap(expiry).order(ByteOrder.LITTLE_ENDIAN);
  private final CRC32C crc = new CRC32C();

  /**
   * Encodes a record of {@code key} and {@code value} ({@code valueLength} bytes of it; 0 for none)
   * whose body is {@code body} bytes: the value, then the expiry if {@code expiresAt} is not
   * {@link SegmentFormat#NEVER} (the caller has set the EXPIRES flag then). The checksum covers the
   * header after itself, the key, the value and the expiry.
   */
  void encode(byte type, byte flags, byte[] key, byte[] value, int valueLength, int body, int durableEnd,
      long sequence, long previous, long expiresAt) {
    ByteBuffer h = headerBuffer;
    h.putInt(R_CRC, 0);
    h.put(R_TYPE, type);
    h.put(R_FLAGS, flags);
    h.putShort(R_KEY_LENGTH, (short) key.length);
    h.putInt(R_VALUE_LENGTH, body);
    h.putInt(SegmentFormat.R_DURABLE_END, durableEnd);
    h.putLong(R_SEQUENCE, sequence);
    h.putLong(R_PREVIOUS, previous);
    CRC32C c = crc;
    c.reset();
    c.update(header, 4, RECORD_HEADER_SIZE - 4);
    c.update(key, 0, key.length);
    if (valueLength > 0) {
      c.update(value, 0, valueLength);
    }
    if (expiresAt != SegmentFormat.NEVER) {
      expiryBuffer.putLong(0, expiresAt);
      c.update(expiry, 0, SegmentFormat.EXPIRY_SIZE);
    }
    h.putInt(R_CRC, (int) c.getValue());
  }
}
