#include "run_log.h"

#include "hyp/kcore.h"
#include "target_fixture.h"

static struct run_log *current;

void run_log_start(struct run_log *log)
{
	log->n = 0;
	current = log;
}

int64_t run_log_add(int64_t value, int line)
{
	if (current == NULL || current->n == RUN_LOG_MAX)
		CHECK_FAIL_("run log not started or full at line %d", line);
	current->value[current->n] = value;
	current->line[current->n] = line;
	current->n++;
	return value;
}

void run_log_mismatch(const char *what, int line, int64_t got, int64_t want)
{
	fprintf(stderr, "line %d on %s: %s = %lld (%s), want %lld (%s)\n", line,
		tf_target ? tf_target->name : "?", what, (long long)got, kcore_err_name(got),
		(long long)want, kcore_err_name(want));
	CHECK_FAIL_("unexpected result");
}

void run_log_compare(const struct run_log *a, const char *a_name,
		     const struct run_log *b, const char *b_name)
{
	unsigned n = a->n < b->n ? a->n : b->n;

	for (unsigned i = 0; i < n; i++) {
		if (a->line[i] != b->line[i] || a->value[i] != b->value[i])
			CHECK_FAIL_("step %u: %s line %d gave %lld, %s line %d gave %lld", i,
				    a_name, a->line[i], (long long)a->value[i], b_name,
				    b->line[i], (long long)b->value[i]);
	}
	CHECK_EQ(a->n, b->n);
}
