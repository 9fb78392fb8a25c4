/* Every input a campaign kept, run once: what the coverage build measures
 * (the corpus is what the campaign reached; the crashes reached more). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "program/binary/binary.h"
#include "campaign/campaign.h"
#include "exec/exec.h"
#include "engines/fuzz_one.h"

static long replay_dir(const char *dir, const char *prefix, unsigned *violations)
{
	static struct program p;
	static struct exec_result r;
	static uint8_t buf[BIN_MAX_SIZE];
	char **names = campaign_list(dir, prefix);
	long n = 0;
	for (char **e = names; e && *e; e++) {
		char path[CAMPAIGN_PATH_MAX];
		if (!campaign_join(path, sizeof(path), dir, *e))
			continue;
		FILE *f = fopen(path, "rb");
		if (!f)
			continue;
		size_t len = fread(buf, 1, sizeof(buf), f);
		fclose(f);
		/* as the fuzz target sees it: the binary form, whatever the bytes */
		program_decode(buf, len, fuzz_pools(), &p);
		*violations += exec_run(&p, &r);
		n++;
	}
	campaign_free_names(names);
	return n;
}

long campaign_replay(const char *out, unsigned *violations)
{
	static const char *const flat[][2] = { { "seeds", "" }, { "corpus", "" }, { "crashes", "crash-" } };
	char dir[CAMPAIGN_PATH_MAX + 512];
	long n = 0;
	*violations = 0;
	for (unsigned i = 0; i < sizeof(flat) / sizeof(flat[0]); i++) {
		snprintf(dir, sizeof(dir), "%s/%s", out, flat[i][0]);
		n += replay_dir(dir, flat[i][1], violations);
	}
	char afl[CAMPAIGN_PATH_MAX];
	snprintf(afl, sizeof(afl), "%s/afl", out);
	char **inst = campaign_list(afl, "");
	for (char **e = inst; e && *e; e++) {
		snprintf(dir, sizeof(dir), "%s/%s/queue", afl, *e);
		n += replay_dir(dir, "id:", violations);
		snprintf(dir, sizeof(dir), "%s/%s/crashes", afl, *e);
		n += replay_dir(dir, "id:", violations);
	}
	campaign_free_names(inst);
	return n;
}
