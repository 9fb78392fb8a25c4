/* The live figures: the progress line's rate is the campaign's own (all
 * executions over the wall time), read from a recorded libFuzzer fork
 * log; AFL++'s live reading comes from plot_data only, so its first
 * fuzzer_stats (a rate over a fraction of a second) is never shown. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "campaign/progress/progress.h"

static char dir[64];
static const struct timespec epoch = { 0, 0 };

static void write_file(const char *name, const char *text)
{
	char path[128];
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	FILE *f = fopen(path, "w");
	CHECK(f != NULL);
	fputs(text, f);
	fclose(f);
}

static void fresh_dir(void)
{
	snprintf(dir, sizeof(dir), "/tmp/isofuzz-progress-XXXXXX");
	CHECK(mkdtemp(dir) != NULL);
}

static void remove_dir(void)
{
	char path[128];
	const char *names[] = { "fuzzer_stats", "plot_data" };
	for (unsigned i = 0; i < 2; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		unlink(path);
	}
	rmdir(dir);
}

/* A fork parent's status lines as a campaign logged them: the last job
 * ran at 56/s while the campaign as a whole did 216/s. */
TEST(rate_is_campaign_total_over_wall_time)
{
	static const char *const log[] = {
		"INFO: -fork=2: fuzzing in separate process(s)",
		"#1210: cov: 2410 ft: 3020 corp: 30 exec/s 302 oom/timeout/crash: 0/0/0 time: 6s job: 1 dft_time: 0",
		"#5400: cov: 2700 ft: 3800 corp: 61 exec/s 140 oom/timeout/crash: 0/0/0 time: 21s job: 4 dft_time: 0",
		"#12960: cov: 2790 ft: 4100 corp: 77 exec/s 56 oom/timeout/crash: 0/0/1 time: 58s job: 9 dft_time: 0",
	};
	struct engine_stats s = { .valid = false };
	for (unsigned i = 0; i < sizeof(log) / sizeof(log[0]); i++)
		progress_parse_libfuzzer(log[i], &s);
	CHECK_EQ(s.execs, 12960);
	CHECK_EQ(s.execs_per_sec, 56);
	char line[256];
	progress_format(line, sizeof(line), 60, 540, 12960, "libFuzzer cov", &s);
	CHECK(strstr(line, "| 216 execs/s |") != NULL);
	CHECK(strstr(line, "libFuzzer cov 2790") != NULL);
	CHECK_EQ(progress_rate(12960, 60), 216);
	CHECK_EQ(progress_rate(500, 0), 0);
}

TEST(afl_first_stats_are_not_a_reading)
{
	fresh_dir();
	/* what AFL++ writes at start: 298 calibration runs over 5 ms */
	write_file("fuzzer_stats", "start_time        : 1765000000\nrun_time          : 0\n"
				   "execs_done        : 298\nexecs_per_sec     : 64416.00\n"
				   "corpus_count      : 14\nedges_found       : 310\ntotal_edges       : 65536\n");
	struct engine_stats s = { .valid = false };
	CHECK(progress_read_afl_live(dir, &epoch, &s) != 0);
	CHECK(!s.valid);
	/* plot_data with its header only: still nothing */
	write_file("plot_data", "# relative_time, cycles_done, cur_item, corpus_count, pending_total, pending_favs, "
				"map_size, saved_crashes, saved_hangs, max_depth, execs_per_sec, total_execs, edges_found\n");
	CHECK(progress_read_afl_live(dir, &epoch, &s) != 0);
	remove_dir();
}

TEST(afl_live_reading_is_plot_data_last_line)
{
	fresh_dir();
	write_file("fuzzer_stats", "run_time          : 0\nexecs_done        : 298\nexecs_per_sec     : 64416.00\n"
				   "total_edges       : 65536\n");
	write_file("plot_data", "# relative_time, cycles_done, cur_item, corpus_count, pending_total, pending_favs, "
				"map_size, saved_crashes, saved_hangs, max_depth, execs_per_sec, total_execs, edges_found\n"
				"5, 0, 3, 20, 18, 5, 0.48%, 0, 0, 2, 4012.55, 20110, 315\n"
				"10, 0, 7, 26, 22, 6, 0.51%, 1, 0, 2, 3990.10, 40200, 334\n");
	struct engine_stats s = { .valid = false };
	CHECK_EQ(progress_read_afl_live(dir, &epoch, &s), 0);
	CHECK(s.valid);
	CHECK_EQ(s.execs, 40200);
	CHECK_EQ(s.execs_per_sec, 3990);
	CHECK_EQ(s.coverage, 334);
	CHECK_EQ(s.corpus, 26);
	CHECK_EQ(s.crashes, 1);
	CHECK_EQ(s.engine_seconds, 10);
	CHECK_EQ(s.features, 65536);
	remove_dir();
}

/* After a kill -9 and resume, plot_data is the killed session's until
 * AFL++ writes it again: not a reading of this session. */
TEST(afl_plot_data_of_an_earlier_session_is_not_a_reading)
{
	fresh_dir();
	write_file("plot_data", "# relative_time, cycles_done, cur_item, corpus_count, pending_total, pending_favs, "
				"map_size, saved_crashes, saved_hangs, max_depth, execs_per_sec, total_execs, edges_found\n"
				"75, 0, 7, 26, 22, 6, 0.51%, 1, 0, 2, 3990.10, 52421, 334\n");
	char path[128];
	snprintf(path, sizeof(path), "%s/plot_data", dir);
	struct timespec times[2] = { { 1000, 0 }, { 1000, 0 } };
	CHECK_EQ(utimensat(AT_FDCWD, path, times, 0), 0);
	struct timespec session = { 2000, 0 };
	struct engine_stats s = { .valid = false };
	CHECK(progress_read_afl_live(dir, &session, &s) != 0);
	struct timespec earlier = { 999, 0 };
	CHECK_EQ(progress_read_afl_live(dir, &earlier, &s), 0);
	CHECK_EQ(s.execs, 52421);
	remove_dir();
}

static const struct test_case cases[] = {
	CASE(rate_is_campaign_total_over_wall_time),
	CASE(afl_first_stats_are_not_a_reading),
	CASE(afl_live_reading_is_plot_data_last_line),
	CASE(afl_plot_data_of_an_earlier_session_is_not_a_reading),
};

int main(int argc, char **argv)
{
	return test_main(argc, argv, cases, N_CASES(cases));
}
