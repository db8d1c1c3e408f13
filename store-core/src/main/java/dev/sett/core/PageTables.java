package dev.sett.core;

import jnr.ffi.annotations.SaveError;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drops this process's page table entries for a range of a shared file mapping, through
 * {@code madvise(MADV_DONTNEED)}, on Linux (jnr-ffi, see {@link LinuxLibC}); elsewhere it does nothing.
 *
 * <p><b>Why.</b> Forcing a file whose pages were written through a writable mapping makes the
 * kernel write-protect every dirty page again before writing it back, one page at a time, and each
 * of those changes flushes the page from the TLB of every core running this process: an
 * inter-processor interrupt per 4 KiB page. For a sealed 64 MiB segment that is 16,384 interrupts,
 * which on a 2-core virtual machine took about a tenth of a bulk load's CPU (perf: the sealer's
 * {@code fdatasync} in {@code folio_mkclean}, {@code flush_tlb_mm_range}) and stalled the writer's
 * core each time. Dropping the entries first costs one batched flush for the whole range; the
 * force then finds no mapped page to write-protect.
 *
 * <p><b>Why it is safe.</b> For a shared file mapping {@code MADV_DONTNEED} only unmaps pages from
 * the page tables: a dirty page's data stays in the page cache, marked dirty, and is written back
 * as before; the next access to the range (a reader, a view) faults the page back in from the page
 * cache. It is never called on anything but a segment's own live mapping (the caller holds a pin,
 * so the region cannot be unmapped meanwhile): on anonymous memory the same call would discard
 * data. ({@code MADV_FREE} and {@code MADV_REMOVE}, which do discard file data, are never used.)
 *
 * <p>Thread-safe; stateless apart from the loaded library.
 */
final class PageTables {
  private static final Logger LOG = LoggerFactory.getLogger(PageTables.class);
  /** {@code <asm-generic/mman-common.h>}: the same on x86-64 and AArch64. */
  private static final int MADV_DONTNEED = 4;
  private static final long PAGE = 4096;

  /** The C library call this class makes; public only because jnr-ffi implements it. */
  public interface LibC {
    @SaveError
    int madvise(long address, long length, int advice);
  }

  private static final LinuxLibC.Binding<LibC> LIBC =
      new LinuxLibC.Binding<>(LibC.class, "sealed segments are forced without madvise");

  private PageTables() {
  }

  /**
   * Drops the page table entries of {@code [address, address + length)}, which must lie inside one
   * live shared file mapping the caller keeps mapped during the call. Returns whether it was done;
   * a failure changes nothing (the force that follows is only slower).
   */
  static boolean drop(long address, long length) {
    LibC c = LIBC.get();
    if (c == null || address == 0 || length <= 0 || (address & (PAGE - 1)) != 0) {
      return false;
    }
    // Whole pages only: a partial last page would be rounded up by the kernel, past the range.
    long whole = length & ~(PAGE - 1);
    if (whole == 0) {
      return false;
    }
    int rc = c.madvise(address, whole, MADV_DONTNEED);
    if (rc != 0) {
      LOG.debug("madvise(MADV_DONTNEED) failed: errno {}", jnr.ffi.Runtime.getRuntime(c).getLastError());
      return false;
    }
    return true;
  }
}
