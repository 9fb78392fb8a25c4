/* The generated manifest against the guest images it was generated from,
 * and kcore_manifest_match against images loaded wrongly. */
#include "boot/manifest.h"
#include "check.h"
#include "guest_image.h"
#include "hyp/kcore.h"

#define MAX_PAGES KCORE_MAX_IMAGE_PAGES

/* An image as KServ would lay it out for KCore: pages in index order. */
struct loaded_image {
	unsigned npages;
	uint8_t pages[MAX_PAGES][PAGE_SIZE];
};

static struct loaded_image img_buf;

static struct loaded_image *load(unsigned img)
{
	img_buf.npages = guest_image_npages(img);
	CHECK(img_buf.npages >= 1 && img_buf.npages <= MAX_PAGES);
	for (unsigned i = 0; i < img_buf.npages; i++)
		guest_image_page(img, i, img_buf.pages[i]);
	return &img_buf;
}

/* What verify_vm_image computes: SHA-256 over the pages in index order. */
static void digest_of(const struct loaded_image *li, unsigned npages,
                      uint8_t out[SHA256_DIGEST_SIZE])
{
	struct sha256_ctx ctx;

	sha256_init(&ctx);
	for (unsigned i = 0; i < npages; i++)
		sha256_update(&ctx, li->pages[i], PAGE_SIZE);
	sha256_final(&ctx, out);
}

static bool loaded_matches(const struct loaded_image *li)
{
	uint8_t d[SHA256_DIGEST_SIZE];

	digest_of(li, li->npages, d);
	return kcore_manifest_match(li->npages, d);
}

static void swap_pages(struct loaded_image *li, unsigned a, unsigned b)
{
	static uint8_t tmp[PAGE_SIZE];

	memcpy(tmp, li->pages[a], PAGE_SIZE);
	memcpy(li->pages[a], li->pages[b], PAGE_SIZE);
	memcpy(li->pages[b], tmp, PAGE_SIZE);
}

TEST(one_entry_per_image)
{
	CHECK(guest_image_count() >= 1);
	CHECK_EQ(kcore_manifest_count, guest_image_count());
	for (unsigned i = 0; i < guest_image_count(); i++) {
		CHECK_STR_EQ(kcore_manifest[i].name, guest_image_name(i));
		CHECK_EQ(kcore_manifest[i].npages, guest_image_npages(i));
	}
}

/* The image set the contract names: 1, 2, 4 and KCORE_MAX_IMAGE_PAGES. */
TEST(image_sizes)
{
	static const unsigned want[] = { 1, 2, 4, KCORE_MAX_IMAGE_PAGES };

	CHECK_EQ(guest_image_count(), 4);
	for (unsigned i = 0; i < 4; i++)
		CHECK_EQ(guest_image_npages(i), want[i]);
}

TEST(entry_digest_is_image_digest)
{
	for (unsigned img = 0; img < guest_image_count(); img++) {
		uint8_t d[SHA256_DIGEST_SIZE];
		struct loaded_image *li = load(img);

		digest_of(li, li->npages, d);
		CHECK(memcmp(d, kcore_manifest[img].digest, SHA256_DIGEST_SIZE) == 0);
		CHECK(kcore_manifest_match(li->npages, d));
	}
}

/* A change of one byte anywhere (first, middle and last byte of every page,
 * each bit position once) no longer matches. */
TEST(one_byte_change_fails)
{
	static const unsigned offsets[] = { 0, 1, PAGE_SIZE / 2, PAGE_SIZE - 1 };

	for (unsigned img = 0; img < guest_image_count(); img++) {
		struct loaded_image *li = load(img);
		unsigned bit = 0;

		for (unsigned p = 0; p < li->npages; p++) {
			for (unsigned o = 0; o < 4; o++) {
				uint8_t mask = (uint8_t)(1u << (bit++ % 8));

				li->pages[p][offsets[o]] ^= mask;
				CHECK(!loaded_matches(li));
				li->pages[p][offsets[o]] ^= mask;
			}
		}
		CHECK(loaded_matches(li));
	}
}

TEST(swapped_pages_fail)
{
	for (unsigned img = 0; img < guest_image_count(); img++) {
		struct loaded_image *li = load(img);

		for (unsigned a = 0; a < li->npages; a++) {
			for (unsigned b = a + 1; b < li->npages; b++) {
				swap_pages(li, a, b);
				CHECK(!loaded_matches(li));
				swap_pages(li, a, b);
			}
		}
		CHECK(loaded_matches(li));
	}
}

/* The right digest under the wrong length, and a truncated or extended
 * image under its own length, both fail. */
TEST(wrong_length_fails)
{
	for (unsigned img = 0; img < guest_image_count(); img++) {
		struct loaded_image *li = load(img);
		uint8_t d[SHA256_DIGEST_SIZE];
		unsigned n = li->npages;

		digest_of(li, n, d);
		CHECK(!kcore_manifest_match(n - 1, d));
		CHECK(!kcore_manifest_match(n + 1, d));
		CHECK(!kcore_manifest_match(0, d));
		CHECK(!kcore_manifest_match((uint64_t)n << 32 | n, d));
		if (n > 1) {
			digest_of(li, n - 1, d);
			CHECK(!kcore_manifest_match(n - 1, d));
		}
		if (n < MAX_PAGES) {
			memset(li->pages[n], 0, PAGE_SIZE);
			digest_of(li, n + 1, d);
			CHECK(!kcore_manifest_match(n + 1, d));
		}
	}
}

/* Pages of one image shown as another: page i of image a is never page j
 * of image b, so no mix-up between images can verify. */
TEST(all_pages_distinct)
{
	static uint8_t pa[PAGE_SIZE], pb[PAGE_SIZE];
	unsigned n = guest_image_count();

	for (unsigned a = 0; a < n; a++) {
		for (unsigned i = 0; i < guest_image_npages(a); i++) {
			guest_image_page(a, i, pa);
			for (unsigned b = a; b < n; b++) {
				for (unsigned j = b == a ? i + 1 : 0; j < guest_image_npages(b); j++) {
					guest_image_page(b, j, pb);
					CHECK(memcmp(pa, pb, PAGE_SIZE) != 0);
				}
			}
		}
	}
}

/* Each image's first pages, presented as a shorter image, match nothing:
 * "full" cut to 4 pages is not "boot4". */
TEST(image_prefix_is_not_another_image)
{
	for (unsigned img = 0; img < guest_image_count(); img++) {
		struct loaded_image *li = load(img);

		for (unsigned n = 1; n < li->npages; n++) {
			uint8_t d[SHA256_DIGEST_SIZE];

			digest_of(li, n, d);
			CHECK(!kcore_manifest_match(n, d));
		}
	}
}

TEST(zero_image_and_null_digest_fail)
{
	static const uint8_t zero[SHA256_DIGEST_SIZE];

	memset(&img_buf, 0, sizeof(img_buf));
	for (unsigned n = 1; n <= MAX_PAGES; n++) {
		img_buf.npages = n;
		CHECK(!loaded_matches(&img_buf));
		CHECK(!kcore_manifest_match(n, zero));
		CHECK(!kcore_manifest_match(n, NULL));
	}
}

/* Out-of-range requests are answered, not trusted: no pages, empty name,
 * and a zero page for any index past the end. */
TEST(out_of_range_requests)
{
	static uint8_t page[PAGE_SIZE];
	unsigned n = guest_image_count();

	CHECK_EQ(guest_image_npages(n), 0);
	CHECK_EQ(guest_image_npages(~0u), 0);
	CHECK_STR_EQ(guest_image_name(n), "");
	memset(page, 0xa5, sizeof(page));
	guest_image_page(n, 0, page);
	for (unsigned i = 0; i < PAGE_SIZE; i++)
		CHECK_EQ(page[i], 0);
	memset(page, 0xa5, sizeof(page));
	guest_image_page(0, guest_image_npages(0), page);
	for (unsigned i = 0; i < PAGE_SIZE; i++)
		CHECK_EQ(page[i], 0);
}

/* The bytes are a function of (image, page, offset) only: asking twice,
 * with other pages asked in between, gives the same page. */
TEST(pages_repeatable)
{
	static uint8_t first[PAGE_SIZE], again[PAGE_SIZE], other[PAGE_SIZE];
	unsigned last = guest_image_count() - 1;

	guest_image_page(last, 1, first);
	guest_image_page(0, 0, other);
	guest_image_page(last, 1, again);
	CHECK(memcmp(first, again, PAGE_SIZE) == 0);
}

static const struct test_case cases[] = {
	CASE(one_entry_per_image),
	CASE(image_sizes),
	CASE(entry_digest_is_image_digest),
	CASE(one_byte_change_fails),
	CASE(swapped_pages_fail),
	CASE(wrong_length_fails),
	CASE(all_pages_distinct),
	CASE(image_prefix_is_not_another_image),
	CASE(zero_image_and_null_digest_fail),
	CASE(out_of_range_requests),
	CASE(pages_repeatable),
};

int main(int argc, char **argv)
{
	return test_main(argc, argv, cases, N_CASES(cases));
}
