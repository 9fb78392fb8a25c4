#define _XOPEN_SOURCE 700
/* Paths and directory listings for the campaign's output directory. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ftw.h>
#include <sys/stat.h>
#include <unistd.h>

#include "campaign/campaign.h"

bool campaign_join(char *buf, unsigned long n, const char *dir, const char *name)
{
	int len = snprintf(buf, n, "%s/%s", dir, name);
	return len >= 0 && (unsigned long)len < n;
}

int campaign_mkdirs(const char *path)
{
	char buf[CAMPAIGN_PATH_MAX];
	if (snprintf(buf, sizeof(buf), "%s", path) >= (int)sizeof(buf))
		return -1;
	for (char *p = buf + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = 0;
		if (mkdir(buf, 0777) != 0 && errno != EEXIST)
			return -1;
		*p = '/';
	}
	return mkdir(buf, 0777) != 0 && errno != EEXIST ? -1 : 0;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* A name the listings give: prefix first, never a dot name (the target's
 * markers and temporaries). */
static bool listed(const char *name, const char *prefix, size_t plen)
{
	return name[0] != '.' && strncmp(name, prefix, plen) == 0;
}

char **campaign_list(const char *dir, const char *prefix)
{
	DIR *d = opendir(dir);
	if (!d)
		return NULL;
	size_t n = 0, cap = 64;
	char **names = malloc(cap * sizeof(*names));
	size_t plen = strlen(prefix);
	for (struct dirent *e; names && (e = readdir(d));) {
		if (!listed(e->d_name, prefix, plen))
			continue;
		if (n + 1 >= cap) {
			char **more = realloc(names, 2 * cap * sizeof(*names));
			if (!more)
				break;
			names = more;
			cap *= 2;
		}
		if (!(names[n] = strdup(e->d_name)))
			break;
		n++;
	}
	closedir(d);
	if (!names)
		return NULL;
	names[n] = NULL;
	qsort(names, n, sizeof(*names), by_name);
	return names;
}

unsigned long campaign_count(const char *dir, const char *prefix)
{
	DIR *d = opendir(dir);
	unsigned long n = 0;
	size_t plen = strlen(prefix);
	for (struct dirent *e; d && (e = readdir(d));)
		n += listed(e->d_name, prefix, plen);
	if (d)
		closedir(d);
	return n;
}

void campaign_free_names(char **names)
{
	if (!names)
		return;
	for (char **p = names; *p; p++)
		free(*p);
	free(names);
}

static int remove_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	if (ftw->level == 0)
		return 0;
	return remove(path) != 0 && errno != ENOENT ? -1 : 0;
}

int campaign_empty_dir(const char *dir)
{
	if (access(dir, F_OK) != 0)
		return 0;
	return nftw(dir, remove_one, 16, FTW_DEPTH | FTW_PHYS);
}

int campaign_write_new(const char *path, const char *text)
{
	char tmp[CAMPAIGN_PATH_MAX + 8];
	if (snprintf(tmp, sizeof(tmp), "%s.tmp", path) >= (int)sizeof(tmp))
		return -1;
	FILE *f = fopen(tmp, "w");
	if (!f)
		return -1;
	bool ok = fputs(text, f) >= 0;
	if (fclose(f) != 0 || !ok || rename(tmp, path) != 0) {
		unlink(tmp);
		return -1;
	}
	return 0;
}
