package dev.sett.api;

/**
 * How a store is opened. Immutable and thread-safe; build one with {@link #builder()}.
 *
 * <pre>{@code
 * StoreOptions options = StoreOptions.builder()
 *     .segmentSize(128 << 20)
 *     .syncMode(SyncMode.ALWAYS)
 *     .build();
 * }</pre>
 */
public final class StoreOptions {
  /** Default segment file size: 64 MiB. */
  public static final int DEFAULT_SEGMENT_SIZE = 64 << 20;
  /** Smallest segment size accepted: 64 KiB. */
  public static final int MIN_SEGMENT_SIZE = 64 << 10;
  /** Largest segment size accepted: 1 GiB. */
  public static final int MAX_SEGMENT_SIZE = 1 << 30;
  /** Default key size limit. */
  public static final int DEFAULT_MAX_KEY_SIZE = 4096;
  /** Largest key the on-disk format can hold. */
  public static final int MAX_KEY_SIZE_LIMIT = 65535;
  /** Default value size limit (smaller if the segment size requires it). */
  public static final int DEFAULT_MAX_VALUE_SIZE = 16 << 20;
  /**
   * Bytes a segment needs beside one record's key and value: the segment header and a record
   * header, rounded up. A record must fit in one segment.
   */
  public static final int SEGMENT_OVERHEAD = 128;

  private static final StoreOptions DEFAULTS = builder().build();

  private final int segmentSize;
  private final SyncMode syncMode;
  private final boolean readOnly;
  private final int maxKeySize;
  private final int maxValueSize;
  private final boolean verifyChecksums;
  private final boolean salvage;

  private StoreOptions(Builder b) {
    this.segmentSize = b.segmentSize;
    this.syncMode = b.syncMode;
    this.readOnly = b.readOnly;
    this.maxKeySize = b.maxKeySize;
    this.maxValueSize = b.maxValueSize >= 0 ? b.maxValueSize
        : Math.min(DEFAULT_MAX_VALUE_SIZE, b.segmentSize - SEGMENT_OVERHEAD - b.maxKeySize);
    this.verifyChecksums = b.verifyChecksums;
    this.salvage = b.salvage;
  }

  /** The defaults: 64 MiB segments, {@link SyncMode#NONE}, read-write, no checksum on read. */
  public static StoreOptions defaults() {
    return DEFAULTS;
  }

  /** A builder holding the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this object's settings. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.segmentSize = segmentSize;
    b.syncMode = syncMode;
    b.readOnly = readOnly;
    b.maxKeySize = maxKeySize;
    b.maxValueSize = maxValueSize;
    b.verifyChecksums = verifyChecksums;
    b.salvage = salvage;
    return b;
  }

  /** Size in bytes of each segment file; new segments get it, existing ones keep theirs. */
  public int segmentSize() {
    return segmentSize;
  }

  /** When writes are forced to disk. */
  public SyncMode syncMode() {
    return syncMode;
  }

  /** Whether the store is opened read-only: no writes, no recovery changes on disk, shared lock. */
  public boolean readOnly() {
    return readOnly;
  }

  /** Largest key accepted, in bytes. */
  public int maxKeySize() {
    return maxKeySize;
  }

  /** Largest value accepted, in bytes. */
  public int maxValueSize() {
    return maxValueSize;
  }

  /** Whether every read checks the record's CRC32C and throws {@link CorruptionException} on damage. */
  public boolean verifyChecksums() {
    return verifyChecksums;
  }

  /**
   * Whether open drops damaged records instead of failing with {@link CorruptionException}. What
   * was dropped is logged; use it to get a store back, then check what is missing.
   */
  public boolean salvage() {
    return salvage;
  }

  @Override
  public String toString() {
    return "StoreOptions{segmentSize=" + segmentSize + ", syncMode=" + syncMode + ", readOnly="
        + readOnly + ", maxKeySize=" + maxKeySize + ", maxValueSize=" + maxValueSize
        + ", verifyChecksums=" + verifyChecksums + ", salvage=" + salvage + '}';
  }

  /**
   * Collects settings for a {@link StoreOptions}. Each setter checks its own argument; {@link #build()}
   * checks that they fit together. Not thread-safe.
   */
  public static final class Builder {
    private int segmentSize = DEFAULT_SEGMENT_SIZE;
    private SyncMode syncMode = SyncMode.NONE;
    private boolean readOnly;
    private int maxKeySize = DEFAULT_MAX_KEY_SIZE;
    private int maxValueSize = -1;
    private boolean verifyChecksums;
    private boolean salvage;

    private Builder() {
    }

    /**
     * Size of each new segment file, a multiple of 4096 between {@link #MIN_SEGMENT_SIZE} and
     * {@link #MAX_SEGMENT_SIZE}. Larger segments mean fewer files and rolls; smaller ones let
     * compaction reclaim space in smaller steps.
     */
    public Builder segmentSize(int bytes) {
      if (bytes < MIN_SEGMENT_SIZE || bytes > MAX_SEGMENT_SIZE || bytes % 4096 != 0) {
        throw new InvalidInputException("segmentSize " + bytes + " is invalid: it must be a multiple of"
            + " 4096 between " + MIN_SEGMENT_SIZE + " and " + MAX_SEGMENT_SIZE);
      }
      this.segmentSize = bytes;
      return this;
    }

    /** When writes are forced to disk; default {@link SyncMode#NONE}. */
    public Builder syncMode(SyncMode mode) {
      if (mode == null) {
        throw new InvalidInputException("syncMode must not be null");
      }
      this.syncMode = mode;
      return this;
    }

    /** Open without writing anything, sharing the directory with other read-only handles. */
    public Builder readOnly(boolean readOnly) {
      this.readOnly = readOnly;
      return this;
    }

    /** Largest key accepted, 1 to {@link #MAX_KEY_SIZE_LIMIT} bytes; default 4096. */
    public Builder maxKeySize(int bytes) {
      if (bytes < 1 || bytes > MAX_KEY_SIZE_LIMIT) {
        throw new InvalidInputException("maxKeySize " + bytes + " is invalid: it must be between 1 and "
            + MAX_KEY_SIZE_LIMIT);
      }
      this.maxKeySize = bytes;
      return this;
    }

    /**
     * Largest value accepted, in bytes; default 16 MiB or what fits in a segment. A key and a value
     * of the largest sizes must fit in one segment together with {@link #SEGMENT_OVERHEAD}.
     */
    public Builder maxValueSize(int bytes) {
      if (bytes < 0) {
        throw new InvalidInputException("maxValueSize " + bytes + " is invalid: it must not be negative");
      }
      this.maxValueSize = bytes;
      return this;
    }

    /** Check each record's CRC32C on every read; default off (recovery and verify always check). */
    public Builder verifyChecksums(boolean verify) {
      this.verifyChecksums = verify;
      return this;
    }

    /** Drop damaged records on open instead of failing; default off. */
    public Builder salvage(boolean salvage) {
      this.salvage = salvage;
      return this;
    }

    /**
     * The options.
     *
     * @throws InvalidInputException if the key and value limits do not fit in a segment
     */
    public StoreOptions build() {
      long needed = (long) maxKeySize + Math.max(maxValueSize, 0) + SEGMENT_OVERHEAD;
      if (needed > segmentSize) {
        throw new InvalidInputException("a record of maxKeySize " + maxKeySize + " and maxValueSize "
            + maxValueSize + " needs " + needed + " bytes, more than segmentSize " + segmentSize
            + "; raise segmentSize or lower the limits");
      }
      if (maxValueSize < 0 && segmentSize - SEGMENT_OVERHEAD - maxKeySize < 0) {
        throw new InvalidInputException("maxKeySize " + maxKeySize + " does not fit in segmentSize "
            + segmentSize);
      }
      return new StoreOptions(this);
    }
  }
}
