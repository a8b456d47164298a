// A pager written against the published contracts only, as a lab's would be (plain JavaScript,
// no pagelab imports): the conformance tests load it through `pagelab conform pager`.

/** Builds a pager factory; `writeBack: false` gives the broken variant that loses dirty pages. */
export function makePagerFactory({ writeBack = true } = {}) {
  return function createSimplePager(deps, options) {
    const { mmu, frames, memory, store, contents, clock, costs } = deps;
    const scope = options.scope ?? 'global';
    const lockFreshPages = options.lockFreshPages ?? false;
    const inUse = (f) => frames.state(f) === 1;
    const bits = {
      isReferenced: (f) => inUse(f) && mmu.isReferenced(frames.ownerAddressSpace(f), frames.ownerPage(f)),
      isModified: (f) => inUse(f) && (frames.isDirty(f) || mmu.isModified(frames.ownerAddressSpace(f), frames.ownerPage(f))),
      clearReferenced: (f) => {
        if (inUse(f)) mmu.clearReferenced(frames.ownerAddressSpace(f), frames.ownerPage(f));
      },
    };
    const policy = options.policy({ frameCount: frames.frameCount, bits, referencesVisible: false });
    const slots = new Map();
    const fresh = new Map();
    const stats = { faults: 0, freeFrameFaults: 0, evictions: 0, writebacks: 0, swapIns: 0, zeroFills: 0, imageLoads: 0, freshPageLocks: 0, freshPageLocksBroken: 0, cycles: 0 };
    const charge = (cycles) => {
      clock.advance(cycles);
      stats.cycles += cycles;
    };
    const timed = (transfer) => {
      const before = clock.now;
      transfer();
      stats.cycles += clock.now - before;
    };
    const bytesOf = (f) => memory.bytes.subarray(f * memory.pageSize, (f + 1) * memory.pageSize);
    const key = (space, page) => `${space}:${page}`;

    function candidatesFor(space) {
      const local = { isCandidate: (f) => frames.isEvictable(f) && frames.ownerAddressSpace(f) === space };
      if (scope === 'local') for (let f = 0; f < frames.frameCount; f++) if (local.isCandidate(f)) return local;
      return { isCandidate: (f) => frames.isEvictable(f) };
    }
    function breakFreshLocks() {
      let broken = 0;
      for (const pins of fresh.values()) {
        for (const { pin } of pins) frames.unpin(pin, clock.now);
        broken += pins.length;
        pins.length = 0;
      }
      stats.freshPageLocksBroken += broken;
      return broken > 0;
    }
    function chooseVictim(space) {
      try {
        return policy.chooseVictim(candidatesFor(space), clock.now);
      } catch (error) {
        if (error?.code !== 'NOTHING_EVICTABLE' || !breakFreshLocks()) throw error;
        return policy.chooseVictim(candidatesFor(space), clock.now);
      }
    }
    function release(space, frame) {
      if (!inUse(frame) || frames.ownerAddressSpace(frame) !== space) return;
      const pins = fresh.get(space) ?? [];
      fresh.set(space, pins.filter((p) => (p.frame === frame ? (frames.unpin(p.pin, clock.now), false) : true)));
      policy.onEvict(frame);
      frames.free(frame);
    }

    return {
      specificationVersion: 1,
      scope,
      policyName: policy.name,
      get statistics() {
        return { ...stats };
      },
      handleFault(space, page) {
        const entry = mmu.entry(space, page);
        if (entry === null) throw new RangeError(`page ${page} is not part of address space ${space}`);
        if (entry.present) return entry.frame;
        charge(costs.faultService);
        let frame = frames.allocate(space, page);
        if (frame >= 0) {
          stats.freeFrameFaults++;
        } else {
          if (frames.underPressure) frames.dropHintLocks(clock.now);
          frame = chooseVictim(space);
          const oldSpace = frames.ownerAddressSpace(frame);
          const oldPage = frames.ownerPage(frame);
          const dirty = writeBack && (frames.isDirty(frame) || mmu.isModified(oldSpace, oldPage));
          let slot = slots.get(key(oldSpace, oldPage));
          if (dirty && slot === undefined) {
            slot = store.allocateSlot();
            slots.set(key(oldSpace, oldPage), slot);
          }
          mmu.unmap(oldSpace, oldPage);
          if (dirty) {
            timed(() => store.writePage(slot, bytesOf(frame)));
            stats.writebacks++;
          }
          policy.onEvict(frame);
          stats.evictions++;
          frames.reassign(frame, space, page);
        }
        const bytes = bytesOf(frame);
        const slot = slots.get(key(space, page));
        if (slot !== undefined) {
          timed(() => store.readPage(slot, bytes));
          stats.swapIns++;
        } else if (contents.initialSource(space, page) === 2) {
          contents.readImagePage(space, page, bytes);
          charge(costs.copyPerByte * memory.pageSize);
          stats.imageLoads++;
        } else {
          bytes.fill(0);
          charge(costs.zeroFillPerByte * memory.pageSize);
          stats.zeroFills++;
        }
        mmu.map(space, page, frame, entry.protection);
        mmu.flushTlbPage(space, page);
        frames.setDirty(frame, false);
        policy.onPageIn(frame, clock.now);
        stats.faults++;
        if (lockFreshPages) {
          const pins = fresh.get(space) ?? [];
          pins.push({ pin: frames.pin(frame, 3, space, clock.now), frame });
          fresh.set(space, pins);
          stats.freshPageLocks++;
        }
        return frame;
      },
      onDispatch(space) {
        for (const { pin } of fresh.get(space) ?? []) frames.unpin(pin, clock.now);
        fresh.delete(space);
      },
      onClockTick() {
        policy.onClockTick(clock.now);
      },
      releasePages(space, mappings) {
        for (const { page, frame } of mappings) {
          release(space, frame);
          const slot = slots.get(key(space, page));
          if (slot !== undefined) {
            store.freeSlot(slot);
            slots.delete(key(space, page));
          }
        }
      },
      releaseAddressSpace(space, mappings) {
        for (const { frame } of mappings) release(space, frame);
        for (const [k, slot] of [...slots]) {
          if (k.startsWith(`${space}:`)) {
            store.freeSlot(slot);
            slots.delete(k);
          }
        }
        fresh.delete(space);
      },
    };
  };
}

export default makePagerFactory();
