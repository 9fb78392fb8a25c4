/* The interleaving of a run (exec_timeline.h). */
#include "exec/machine/exec_timeline.h"

#include <stdbool.h>

#define MAX_SLICES 4096
#define COLUMN 30

struct slice {
	uint16_t step;
	uint8_t cpu;
	uint64_t first_event;
};

static struct {
	unsigned n;
	struct slice s[MAX_SLICES];
} T;

void timeline_reset(void)
{
	T.n = 0;
}

void timeline_note(unsigned idx, unsigned cpu, uint64_t events)
{
	if (T.n < MAX_SLICES)
		T.s[T.n++] = (struct slice){ (uint16_t)idx, (uint8_t)cpu, events };
}

unsigned timeline_slices(void)
{
	return T.n;
}

/* Two steps overlapped: some step has a slice after another step's. */
static bool overlapped(void)
{
	for (unsigned i = 1; i < T.n; i++)
		for (unsigned j = i + 1; j < T.n; j++)
			if (T.s[j].step == T.s[i - 1].step && T.s[i].step != T.s[i - 1].step)
				return true;
	return false;
}

/* Part k of n of its step, counted over the slices. */
static void part_of(unsigned i, unsigned *k, unsigned *n)
{
	*k = *n = 0;
	for (unsigned j = 0; j < T.n; j++)
		if (T.s[j].step == T.s[i].step) {
			++*n;
			if (j <= i)
				++*k;
		}
}

static uint64_t slice_end(unsigned i, uint64_t events_end)
{
	return i + 1 < T.n ? T.s[i + 1].first_event : events_end;
}

/* The last slice of a run from i in which two steps take turns a few
 * events at a time (spinning on a lock, or a schedule switching at every
 * arch call); i itself if there is no such run. */
static unsigned turns_end(unsigned i, uint64_t events_end)
{
	unsigned j = i + 1;

	if (j >= T.n || T.s[j].step == T.s[i].step)
		return i;
	while (j + 1 < T.n && T.s[j + 1].step == T.s[j - 1].step && slice_end(j + 1, events_end) - T.s[j + 1].first_event <= 2)
		j++;
	return j - i + 1 >= 6 ? j : i;
}

static void print_row(FILE *f, const struct program *p, unsigned cpu, uint64_t first, uint64_t end,
		      const char *label)
{
	char range[32];

	snprintf(range, sizeof(range), "%llu-%llu", (unsigned long long)first,
		 (unsigned long long)(end > first ? end - 1 : first));
	fprintf(f, "  %-13s", range);
	for (unsigned c = 0; c < cpu && c < p->ncpus; c++)
		fprintf(f, " %-*s", COLUMN, "");
	fprintf(f, " %s\n", label);
}

static const char *step_name(const struct program *p, unsigned idx)
{
	const struct step_info *info = program_step_info(p->step[idx].kind);

	return info ? info->name : "?";
}

/* One row for slices i..j of the same step on the same CPU. */
static void print_slices(FILE *f, const struct program *p, unsigned i, unsigned j, uint64_t events_end)
{
	unsigned k0, k1, n;
	char label[96];

	part_of(i, &k0, &n);
	part_of(j, &k1, &n);
	if (k0 == k1)
		snprintf(label, sizeof(label), "%u:%u/%u %s%s", T.s[i].step, k0, n, step_name(p, T.s[i].step),
			 k1 == n ? " ." : "");
	else
		snprintf(label, sizeof(label), "%u:%u-%u/%u %s%s", T.s[i].step, k0, k1, n, step_name(p, T.s[i].step),
			 k1 == n ? " ." : "");
	print_row(f, p, T.s[i].cpu, T.s[i].first_event, slice_end(j, events_end), label);
}

/* Two steps taking turns over slices i..j: a row for each. */
static void print_turns(FILE *f, const struct program *p, unsigned i, unsigned j, uint64_t events_end)
{
	for (unsigned side = 0; side < 2; side++) {
		unsigned a = i + side, b = (j - a) % 2 ? j - 1 : j, k0, k1, n;
		char label[128];

		part_of(a, &k0, &n);
		part_of(b, &k1, &n);
		snprintf(label, sizeof(label), "%u:%u-%u/%u %s, taking turns with cpu%u (%u switches)%s", T.s[a].step, k0,
			 k1, n, step_name(p, T.s[a].step), T.s[a + (side ? -1 : 1)].cpu, j - i, k1 == n ? " ." : "");
		print_row(f, p, T.s[a].cpu, T.s[i].first_event, slice_end(j, events_end), label);
	}
}

void timeline_print(FILE *f, const struct program *p, uint64_t events_end)
{
	if (p->ncpus < 2 || !overlapped())
		return;
	fprintf(f, "interleaving, in time order (step:part/parts, \".\" where a step ends;\n"
		   "events are the machine's event numbers):\n");
	fprintf(f, "  %-13s", "events");
	for (unsigned c = 0; c + 1 < p->ncpus; c++)
		fprintf(f, " cpu%-*u", COLUMN - 3, c);
	fprintf(f, " cpu%u\n", p->ncpus - 1);
	for (unsigned i = 0; i < T.n;) {
		unsigned j = turns_end(i, events_end);
		if (j > i) {
			print_turns(f, p, i, j, events_end);
		} else {
			while (j + 1 < T.n && T.s[j + 1].step == T.s[i].step)
				j++;
			print_slices(f, p, i, j, events_end);
		}
		i = j + 1;
	}
}
