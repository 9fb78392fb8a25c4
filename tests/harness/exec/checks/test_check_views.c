/* The per-check cache of VM views: a view read in place (peek_vm) is the
 * one view_vm copies out, is read from the target once per window and
 * anew after check_views_forget, and a handle the target does not know
 * has no view either way. */
#include "check.h"
#include "exec/checks/track/check_views.h"

/* A target whose VM 2 does not exist and whose every read shows a fresh
 * boot_gfn, so a cached answer can be told from a new one. */
static struct {
	unsigned reads;
} F;

static bool counting_view_vm(unsigned vm, struct kcore_vm_view *out)
{
	if (vm == 2 || vm > KCORE_MAX_VMS + 1)
		return false;
	F.reads++;
	*out = (struct kcore_vm_view){ .state = VM_VERIFIED, .vmid = (uint16_t)vm, .boot_gfn = F.reads };
	return true;
}

static struct hyp_target counting_target(void)
{
	struct hyp_target t = target_kcore;
	t.view_vm = counting_view_vm;
	return t;
}

TEST(peek_is_the_cached_view)
{
	static struct hyp_target real;
	real = counting_target();
	const struct hyp_target *t = check_views(&real);
	struct kcore_vm_view copy;

	check_views_forget();
	F.reads = 0;
	const struct kcore_vm_view *in_place = t->peek_vm(1);
	CHECK(in_place != NULL);
	CHECK_EQ(in_place->boot_gfn, 1);
	CHECK(t->view_vm(1, &copy));
	CHECK(memcmp(&copy, in_place, sizeof(copy)) == 0);
	CHECK(t->peek_vm(1) == in_place);
	CHECK_EQ(F.reads, 1);
}

TEST(forget_reads_anew)
{
	static struct hyp_target real;
	real = counting_target();
	const struct hyp_target *t = check_views(&real);

	check_views_forget();
	F.reads = 0;
	CHECK_EQ(t->peek_vm(3)->boot_gfn, 1);
	check_views_forget();
	CHECK_EQ(t->peek_vm(3)->boot_gfn, 2);
	CHECK_EQ(t->peek_vm(3)->boot_gfn, 2);
}

TEST(unknown_handle_has_no_view)
{
	static struct hyp_target real;
	real = counting_target();
	const struct hyp_target *t = check_views(&real);
	struct kcore_vm_view copy;

	check_views_forget();
	CHECK(t->peek_vm(2) == NULL);
	CHECK(!t->view_vm(2, &copy));
	CHECK(t->peek_vm(KCORE_MAX_VMS + 1) == NULL);
	/* Past the slots view_vm still asks the target itself. */
	CHECK(t->view_vm(KCORE_MAX_VMS + 1, &copy));
	CHECK(!t->view_vm(KCORE_MAX_VMS + 2, &copy));
}

TEST(brief_is_read_from_the_cached_view)
{
	static struct hyp_target real;
	real = counting_target();
	real.view_vm_brief = NULL; /* view_vm alone: the brief is made of it */
	const struct hyp_target *t = check_views(&real);
	struct kcore_vm_brief b;

	check_views_forget();
	F.reads = 0;
	CHECK(t->view_vm_brief(3, &b));
	CHECK_EQ(b.state, VM_VERIFIED);
	CHECK_EQ(b.vmid, 3);
	CHECK_EQ(F.reads, 1);
	CHECK(t->peek_vm(3) != NULL);
	CHECK_EQ(F.reads, 2);
	CHECK(t->view_vm_brief(3, &b)); /* the view this check read */
	CHECK_EQ(F.reads, 2);
	CHECK(!t->view_vm_brief(2, &b));
	CHECK(!t->view_vm_brief(KCORE_MAX_VMS + 2, &b));
}

static const struct test_case cases[] = {
	CASE(peek_is_the_cached_view),
	CASE(forget_reads_anew),
	CASE(brief_is_read_from_the_cached_view),
	CASE(unknown_handle_has_no_view),
};

int main(int argc, char **argv)
{
	return test_main(argc, argv, cases, N_CASES(cases));
}
