/* Descriptor writes: the entry state machine's transitions, and what
 * linking or unlinking a table does to the entries below it. */
#include "hw/tlb/tlb_oracle_priv.h"
#include "hyp/addr.h"

/* Contiguous hint (bit 52): changing it changes the size of the block the
 * TLB may cache, so the Arm ARM asks for break-before-make. */
#define S2_CONTIGUOUS (1ull << 52)
#define S2_SH_MASK (3ull << 8)

enum change { CHANGE_NONE, CHANGE_REDUCED, CHANGE_BREAK };

/* valid -> valid.  The Arm ARM requires break-before-make when the output
 * address, memory type, cacheability, shareability or block size changes;
 * permissions may change in place, but taking one away still needs a TLBI
 * before the old rights stop being usable. */
static enum change classify(uint64_t old, uint64_t desc, unsigned level)
{
	bool old_table = s2_is_table(old, level), new_table = s2_is_table(desc, level);

	if (old_table != new_table || s2_oa(old) != s2_oa(desc))
		return CHANGE_BREAK;
	if (old_table)
		return CHANGE_NONE;
	if ((old ^ desc) & (S2_MEMATTR_MASK | S2_SH_MASK | S2_CONTIGUOUS))
		return CHANGE_BREAK;
	if ((old & ~desc & (S2_S2AP_RW | S2_AF)) || (~old & desc & S2_XN))
		return CHANGE_REDUCED;
	return CHANGE_NONE;
}

/* The first entry at or after from whose descriptor is valid, or -1. */
static int next_valid(const struct tlb_table *t, unsigned from)
{
	for (unsigned w = from / 64; w < S2_ENTRIES / 64; w++) {
		uint64_t m = t->valid[w];

		if (w == from / 64)
			m &= ~0ull << (from % 64);
		if (m)
			return (int)(w * 64 + (unsigned)__builtin_ctzll(m));
	}
	return -1;
}

#define FOR_EACH_VALID(t, i) for (int i = next_valid(t, 0); i >= 0; i = next_valid(t, (unsigned)i + 1))

static void start_invalidation(struct tlb_oracle *o, struct tlb_table *t, unsigned idx, unsigned cpu)
{
	struct tlb_entry *e = &t->e[idx];

	if (!tlb_state_pending(e->state) && !tlb_pending_add(&o->store, t, idx)) {
		e->state = TLB_INVALID_CLEAN; /* no room: unchecked, flagged as overflow */
		return;
	}
	e->state = TLB_INVALID_UNPUBLISHED;
	e->writer = (uint8_t)cpu;
	e->tlbi_cpus = 0;
	e->flags = 0;
	e->since = o->clock;
}

void tlb_settle(struct tlb_oracle *o, struct tlb_table *t, unsigned idx)
{
	struct tlb_entry *e = &t->e[idx];

	if (tlb_state_pending(e->state))
		tlb_pending_remove(&o->store, t, idx);
	e->state = t->attached && s2_is_valid(e->desc) ? TLB_VALID : TLB_INVALID_CLEAN;
	e->tlbi_cpus = 0;
	e->flags = 0;
}

/* The table entry idx of t links, if the oracle recorded that link. */
static struct tlb_table *linked_child(const struct tlb_oracle *o, const struct tlb_table *t, unsigned idx)
{
	uint64_t desc = t->e[idx].desc;
	struct tlb_table *c;

	if (!s2_is_table(desc, t->level))
		return NULL;
	c = tlb_table_find(&o->store, s2_oa(desc));
	if (!c || !c->known || c->parent != tlb_table_index(&o->store, t) || c->parent_idx != idx)
		return NULL;
	return c;
}

/* A table written before it was linked anywhere has no level yet: its
 * descriptors are recorded and read once it is placed. */
static bool placed(const struct tlb_table *t)
{
	return t->level >= S2_START_LEVEL;
}

/* The table entry i of t links, taking a table that nobody else links
 * (fresh, or filled before it was linked) as t's child. */
static struct tlb_table *adopt_child(struct tlb_oracle *o, struct tlb_table *t, unsigned i)
{
	uint64_t desc = t->e[i].desc;
	uint16_t ti = tlb_table_index(&o->store, t);
	struct tlb_table *c;

	if (!s2_is_table(desc, t->level) || !(c = tlb_table_get(&o->store, s2_oa(desc))))
		return NULL;
	if (c == t || c->is_root)
		return NULL;
	if (c->known && c->parent != TLB_NO_TABLE && !(c->parent == ti && c->parent_idx == i))
		return NULL;
	c->known = true;
	c->parent = ti;
	c->parent_idx = (uint16_t)i;
	return c;
}

/* Give t (and what it links) its place in a tree.  Entries of a table that
 * becomes reachable are live translations again.  Levels grow by one per
 * step, so even a table linking its own ancestors ends at level 3. */
static void place(struct tlb_oracle *o, struct tlb_table *t, unsigned level, uint64_t base,
		  uint16_t root, bool attached)
{
	t->known = true;
	t->level = (uint8_t)level;
	t->base = base;
	t->root = root;
	t->attached = attached;
	FOR_EACH_VALID(t, i) {
		struct tlb_table *c;

		if (attached && t->e[i].state != TLB_VALID)
			tlb_settle(o, t, (unsigned)i);
		if (level < S2_LAST_LEVEL && (c = adopt_child(o, t, (unsigned)i)))
			place(o, c, level + 1, tlb_entry_ipa(t, (unsigned)i), root, attached);
	}
}

/* t is no longer reachable: what it mapped is unmapped, and must be
 * invalidated like any unmapping if a TLB may hold it. */
static void detach(struct tlb_oracle *o, struct tlb_table *t, unsigned cpu, bool may_hold)
{
	t->attached = false;
	FOR_EACH_VALID(t, i) {
		struct tlb_table *c = linked_child(o, t, (unsigned)i);

		if (t->e[i].state == TLB_VALID) {
			if (may_hold)
				start_invalidation(o, t, (unsigned)i, cpu);
			else
				t->e[i].state = TLB_INVALID_CLEAN;
		}
		if (c && c->attached)
			detach(o, c, cpu, may_hold);
	}
}

/* A table unlinked from its tree is being reused (written, zeroed,
 * overwritten or linked elsewhere).  v may be NULL when a violation was
 * already found. */
static bool reuse_check(struct tlb_oracle *o, struct tlb_table *t, unsigned cpu, struct violation *v)
{
	const struct tlb_table *p = t->parent != TLB_NO_TABLE ? &o->store.tables[t->parent] : NULL;

	if (p && tlb_state_pending(p->e[t->parent_idx].state)) {
		if (v) {
			tlb_report(o, v, V_TABLE_FREED_UNCLEAN, cpu, p, t->parent_idx,
				   "unlinked table reused before the unlink was invalidated");
			v->expected = TLB_INVALID_CLEAN;
			v->actual = p->e[t->parent_idx].state;
		}
		return true;
	}
	if (!t->npending)
		return false;
	for (unsigned idx = 0; v && idx < S2_ENTRIES; idx++) {
		if (!tlb_state_pending(t->e[idx].state))
			continue;
		tlb_report(o, v, V_TABLE_FREED_UNCLEAN, cpu, t, idx,
			   "table reused while its entries may be in TLBs");
		v->expected = 0;
		v->actual = t->npending;
		break;
	}
	return true;
}

/* Entry idx of t now links the table desc points to.  Returns true (and
 * fills v unless NULL) if that reuses an unlinked table too early. */
static bool link_child(struct tlb_oracle *o, struct tlb_table *t, unsigned idx, uint64_t desc,
		       unsigned cpu, struct violation *v)
{
	struct tlb_table *c = tlb_table_get(&o->store, s2_oa(desc));
	bool found = false;

	/* A tree holding itself or another tree's root is no tree the oracle
	 * can follow; a table still linked elsewhere stays where it is. */
	if (!c || c == t || c->is_root || c == tlb_root_of(o, t) || c->attached)
		return false;
	if (c->known)
		found = reuse_check(o, c, cpu, v);
	c->parent = tlb_table_index(&o->store, t);
	c->parent_idx = (uint16_t)idx;
	place(o, c, t->level + 1u, tlb_entry_ipa(t, idx), t->root, t->attached);
	return found;
}

void tlb_make_root(struct tlb_oracle *o, struct tlb_table *t)
{
	t->is_root = true;
	t->parent = TLB_NO_TABLE;
	place(o, t, S2_START_LEVEL, 0, tlb_table_index(&o->store, t), true);
}

static void report_revalidation(struct tlb_oracle *o, struct tlb_table *t, unsigned idx,
				unsigned cpu, uint64_t desc, struct violation *v)
{
	enum violation_kind k = tlb_misordering(o, &t->e[idx]);

	if (k == V_NONE)
		k = V_REVALIDATE_EARLY;
	tlb_report(o, v, k, cpu, t, idx, "made valid before its invalidation completed");
	v->expected = TLB_INVALID_CLEAN;
	v->actual = desc;
}

static bool write_attached(struct tlb_oracle *o, struct tlb_table *t, unsigned idx, unsigned cpu,
			   uint64_t old, uint64_t desc, struct violation *v)
{
	struct tlb_entry *e = &t->e[idx];
	struct tlb_table *old_child = linked_child(o, t, idx);
	bool may_hold = tlb_may_hold(o, t), found = false;

	tlb_entry_set_desc(t, idx, desc);
	if (s2_is_valid(desc) && !s2_is_valid(old)) {
		if (tlb_state_pending(e->state)) {
			report_revalidation(o, t, idx, cpu, desc, v);
			found = true;
		}
		tlb_settle(o, t, idx);
	} else if (s2_is_valid(desc)) {
		enum change ch = classify(old, desc, t->level);

		if (ch == CHANGE_BREAK) {
			tlb_report(o, v, V_BBM_MISSING, cpu, t, idx,
				   "valid entry replaced by another mapping without a break");
			v->expected = old;
			v->actual = desc;
			found = true;
		}
		if (ch == CHANGE_REDUCED && may_hold)
			start_invalidation(o, t, idx, cpu);
		else if (!tlb_state_pending(e->state))
			e->state = TLB_VALID;
	} else if (s2_is_valid(old) || e->state == TLB_VALID) {
		if (may_hold)
			start_invalidation(o, t, idx, cpu);
		else
			tlb_settle(o, t, idx);
	}

	if (old_child && !(s2_is_table(desc, t->level) && s2_oa(desc) == old_child->pa)) {
		if (old_child->attached)
			detach(o, old_child, cpu, may_hold);
	}
	if (s2_is_table(desc, t->level) && link_child(o, t, idx, desc, cpu, found ? NULL : v))
		found = true;
	return found;
}

static bool write_detached(struct tlb_oracle *o, struct tlb_table *t, unsigned idx, unsigned cpu,
			   uint64_t desc, struct violation *v)
{
	struct tlb_table *old_child = linked_child(o, t, idx);
	bool found = reuse_check(o, t, cpu, v);

	tlb_entry_set_desc(t, idx, desc);
	if (!tlb_state_pending(t->e[idx].state))
		t->e[idx].state = TLB_INVALID_CLEAN;
	if (!placed(t))
		return found;
	if (old_child && !(s2_is_table(desc, t->level) && s2_oa(desc) == old_child->pa))
		old_child->parent = TLB_NO_TABLE;
	if (s2_is_table(desc, t->level) && link_child(o, t, idx, desc, cpu, found ? NULL : v))
		found = true;
	return found;
}

bool tlb_on_pte_write(struct tlb_oracle *o, unsigned cpu, uint64_t table_pa, uint64_t idx,
		      uint64_t old, uint64_t desc, struct violation *v)
{
	struct tlb_table *t = tlb_table_find(&o->store, table_pa);

	if (idx >= S2_ENTRIES)
		return false;
	/* Only table pages receive descriptor writes: remember every one. */
	if (!t && !(t = tlb_table_get(&o->store, table_pa)))
		return false;
	if (!t->known) {
		t->known = true;
		t->level = 0;
	}
	if (!t->attached)
		return write_detached(o, t, (unsigned)idx, cpu, desc, v);
	return write_attached(o, t, (unsigned)idx, cpu, old, desc, v);
}

/* Zeroing a reachable table unmaps all it holds; zeroing an unlinked one
 * turns the page into something else. */
bool tlb_on_page_zero(struct tlb_oracle *o, unsigned cpu, uint64_t pa, struct violation *v)
{
	struct tlb_table *t = tlb_table_find(&o->store, pa);
	bool found;

	if (!t || !t->known)
		return false;
	if (!t->attached) {
		found = reuse_check(o, t, cpu, v);
		tlb_table_forget(&o->store, t);
		return found;
	}
	/* Invalidating writes find nothing wrong, so v stays untouched. */
	FOR_EACH_VALID(t, i)
		write_attached(o, t, (unsigned)i, cpu, t->e[i].desc, 0, v);
	return false;
}

static bool overwrite_page(struct tlb_oracle *o, struct tlb_table *t, unsigned cpu, struct violation *v)
{
	bool found;

	/* KCore's own stores into a reachable table bypass the descriptor
	 * interface; only reuse of an unlinked one is the oracle's business. */
	if (!t->known || t->attached)
		return false;
	found = reuse_check(o, t, cpu, v);
	tlb_table_forget(&o->store, t);
	return found;
}

bool tlb_on_phys_write(struct tlb_oracle *o, unsigned cpu, uint64_t pa, uint64_t len,
		       struct violation *v)
{
	uint64_t first = pa >> PAGE_SHIFT, last;
	bool found = false;

	if (len == 0)
		return false;
	last = pa + (len - 1) < pa ? UINT64_MAX >> PAGE_SHIFT : (pa + (len - 1)) >> PAGE_SHIFT;
	if (last - first < o->store.ntables) {
		for (uint64_t p = first; ; p++) {
			struct tlb_table *t = tlb_table_find(&o->store, p << PAGE_SHIFT);
			if (t && overwrite_page(o, t, cpu, found ? NULL : v))
				found = true;
			if (p == last)
				break;
		}
		return found;
	}
	/* A huge range: look at the tables known instead of every page. */
	for (unsigned i = 0; i < o->store.ntables; i++) {
		struct tlb_table *t = &o->store.tables[i];
		uint64_t p = t->pa >> PAGE_SHIFT;
		if (p >= first && p <= last && overwrite_page(o, t, cpu, found ? NULL : v))
			found = true;
	}
	return found;
}
