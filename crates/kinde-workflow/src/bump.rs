//! The global allocator on wasm32: a bump allocator made for Kinde's execution model.
//!
//! Kinde runs every execution in a fresh JavaScript VM, so the module's linear memory
//! lives for one workflow call. A general-purpose allocator spends instructions on
//! every allocation and free (which goja interprets one by one; in a profile of the
//! drip-feed they were a fifth of the run) to reuse memory that is thrown away a few
//! milliseconds later. This one hands out memory from the end of the heap, takes back
//! the most recent block when it is freed (the common push-then-drop of temporary
//! buffers) and grows that block in place (`Vec`/`String` growth).
//!
//! A module kept alive across many calls (not how Kinde runs workflows) grows by what
//! each call allocates; turn the crate's default `allocator` feature off to choose
//! another allocator.

use core::alloc::{GlobalAlloc, Layout};
use core::cell::Cell;

const PAGE: usize = 65_536;
/// Memory grows by at least this many pages, or half its size if that is more:
/// wasm2js copies the whole memory into a new `ArrayBuffer` on every `memory.grow`.
const MIN_GROW_PAGES: usize = 4;

/// A bump allocator over the wasm32 linear memory, from `__heap_base` up.
pub struct BumpAllocator {
    /// The next free address; 0 until the first allocation.
    next: Cell<usize>,
    /// The end of the memory.
    end: Cell<usize>,
}

// SAFETY: wasm32 without the `atomics` target feature runs one thread.
unsafe impl Sync for BumpAllocator {}

impl BumpAllocator {
    /// An allocator that starts at the heap base on its first allocation.
    pub const fn new() -> Self {
        Self {
            next: Cell::new(0),
            end: Cell::new(0),
        }
    }

    /// Makes `[start, start + size)` available, growing memory if needed.
    fn reserve(&self, start: usize, size: usize) -> bool {
        let Some(needed) = start.checked_add(size) else {
            return false;
        };
        if needed <= self.end.get() {
            return true;
        }
        let pages = (needed - self.end.get())
            .div_ceil(PAGE)
            .max(MIN_GROW_PAGES)
            .max(self.end.get() / PAGE / 2);
        if core::arch::wasm32::memory_grow(0, pages) == usize::MAX {
            return false;
        }
        self.end
            .set(core::arch::wasm32::memory_size(0).saturating_mul(PAGE));
        needed <= self.end.get()
    }

    fn first_free(&self) -> usize {
        if self.next.get() == 0 {
            extern "C" {
                static __heap_base: u8;
            }
            // Only the linker symbol's address is taken, never its value.
            self.next.set(core::ptr::addr_of!(__heap_base) as usize);
            self.end
                .set(core::arch::wasm32::memory_size(0).saturating_mul(PAGE));
        }
        self.next.get()
    }
}

impl Default for BumpAllocator {
    fn default() -> Self {
        Self::new()
    }
}

// SAFETY: blocks never overlap: each starts at or after the end of every block handed
// out before it that is still live, and only the last block is taken back or resized.
unsafe impl GlobalAlloc for BumpAllocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let Some(padded) = self.first_free().checked_add(layout.align() - 1) else {
            return core::ptr::null_mut();
        };
        let start = padded & !(layout.align() - 1);
        if !self.reserve(start, layout.size()) {
            return core::ptr::null_mut();
        }
        self.next.set(start + layout.size());
        start as *mut u8
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        if ptr as usize + layout.size() == self.next.get() {
            self.next.set(ptr as usize);
        }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let start = ptr as usize;
        if start + layout.size() == self.next.get() {
            if self.reserve(start, new_size) {
                self.next.set(start + new_size);
                return ptr;
            }
            return core::ptr::null_mut();
        }
        if new_size <= layout.size() {
            return ptr;
        }
        // SAFETY: the caller guarantees the alignment is valid and `new_size` is not 0.
        let grown = unsafe { Layout::from_size_align_unchecked(new_size, layout.align()) };
        // SAFETY: as for `alloc`; the old block stays valid until it is copied.
        unsafe {
            let new_ptr = self.alloc(grown);
            if !new_ptr.is_null() {
                core::ptr::copy_nonoverlapping(ptr, new_ptr, layout.size());
            }
            new_ptr
        }
    }
}
