/* The session around an engine: the clock, stop requests and the
 * bookkeeping done once a second. */
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "campaign/campaign.h"

static volatile sig_atomic_t stop_signal;

uint64_t campaign_now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static void on_stop(int sig)
{
	stop_signal = sig;
}

void campaign_catch_signals(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_stop;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
}

bool campaign_stop_requested(void)
{
	return stop_signal != 0;
}

bool campaign_stopping(struct campaign *c)
{
	if (!stop_signal)
		return false;
	if (!c->stop_announced) {
		c->stop_announced = true;
		progress_done(&c->prog);
		printf("campaign: stopping (%s): ending the engine and saving the state\n", strsignal(stop_signal));
		fflush(stdout);
	}
	return true;
}

uint64_t campaign_total_execs(const struct campaign *c)
{
	return c->st.execs_before + (c->last.valid ? c->last.execs : 0);
}

void campaign_tick(struct campaign *c, const struct engine_stats *fresh)
{
	uint64_t spent = c->session_start + (campaign_now_ms() - c->clock_start_ms) / 1000;
	/* never back: a run that went to its deadline counts its whole
	 * slice, which whole seconds of this clock may show one short */
	if (spent < c->st.spent || c->budget_spent)
		spent = c->st.spent;
	if (fresh && fresh->valid) {
		c->last = *fresh;
		campaign_stats_append(c, fresh, false);
	}
	/* the loops wake often to notice a stop at once; the state and the
	 * line change once a second */
	if (!fresh && spent == c->st.spent && c->ticked)
		return;
	c->ticked = true;
	c->st.spent = spent;
	campaign_state_save(c);
	uint64_t left = c->st.spent < c->st.budget ? c->st.budget - c->st.spent : 0;
	if (!c->stop_announced)
		progress_show(&c->prog, c->st.spent, left, campaign_total_execs(c), &c->last, false);
}
