/* SPDX-License-Identifier: BSD-3-Clause */
/* RFC 8122 a=fingerprint codec (crypto/sec_fp.c): every accept/reject
 * rule, bounded parsing, formatting, digests against known answers. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <CUnit/Basic.h>

#include "sec_tls.h"

/* A self-signed ECDSA P-256 certificate (CN=imsagw-test), DER. */
static const uint8_t cert_der[] = {
	0x30, 0x82, 0x01, 0x81, 0x30, 0x82, 0x01, 0x27, 0xa0, 0x03, 0x02, 0x01,
	0x02, 0x02, 0x14, 0x2e, 0x05, 0x35, 0x9a, 0x66, 0x65, 0x7d, 0x01, 0xf1,
	0x52, 0x49, 0x2f, 0x08, 0xb8, 0x7c, 0xb7, 0x79, 0x19, 0x19, 0x90, 0x30,
	0x0a, 0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x02, 0x30,
	0x16, 0x31, 0x14, 0x30, 0x12, 0x06, 0x03, 0x55, 0x04, 0x03, 0x0c, 0x0b,
	0x69, 0x6d, 0x73, 0x61, 0x67, 0x77, 0x2d, 0x74, 0x65, 0x73, 0x74, 0x30,
	0x1e, 0x17, 0x0d, 0x32, 0x36, 0x31, 0x32, 0x30, 0x32, 0x31, 0x37, 0x32,
	0x39, 0x32, 0x31, 0x5a, 0x17, 0x0d, 0x33, 0x36, 0x31, 0x31, 0x32, 0x39,
	0x31, 0x37, 0x32, 0x39, 0x32, 0x31, 0x5a, 0x30, 0x16, 0x31, 0x14, 0x30,
	0x12, 0x06, 0x03, 0x55, 0x04, 0x03, 0x0c, 0x0b, 0x69, 0x6d, 0x73, 0x61,
	0x67, 0x77, 0x2d, 0x74, 0x65, 0x73, 0x74, 0x30, 0x59, 0x30, 0x13, 0x06,
	0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01, 0x06, 0x08, 0x2a, 0x86,
	0x48, 0xce, 0x3d, 0x03, 0x01, 0x07, 0x03, 0x42, 0x00, 0x04, 0xaf, 0x83,
	0xc9, 0x1d, 0xad, 0xdc, 0x89, 0x0e, 0xa3, 0x2d, 0xde, 0xd8, 0x34, 0x5f,
	0xf5, 0xa6, 0x49, 0x1b, 0xe7, 0x68, 0x9d, 0x1d, 0xbc, 0xc2, 0x72, 0xa6,
	0x4a, 0xf7, 0xa4, 0x23, 0xad, 0xdb, 0xe6, 0xc7, 0x9e, 0x00, 0x7e, 0xd9,
	0xd8, 0x2f, 0x2a, 0x3f, 0x63, 0x7c, 0xca, 0xbb, 0x7e, 0xc8, 0x5c, 0x27,
	0xad, 0x90, 0xdd, 0x0a, 0x12, 0x08, 0xec, 0x7b, 0x3a, 0x75, 0x2c, 0xd8,
	0xbe, 0x1a, 0xa3, 0x53, 0x30, 0x51, 0x30, 0x1d, 0x06, 0x03, 0x55, 0x1d,
	0x0e, 0x04, 0x16, 0x04, 0x14, 0x30, 0xd0, 0x6c, 0xe4, 0xd7, 0x1a, 0x60,
	0xb6, 0x79, 0x03, 0xc8, 0x92, 0x25, 0x4a, 0x41, 0x41, 0xc0, 0x5a, 0x6c,
	0xa3, 0x30, 0x1f, 0x06, 0x03, 0x55, 0x1d, 0x23, 0x04, 0x18, 0x30, 0x16,
	0x80, 0x14, 0x30, 0xd0, 0x6c, 0xe4, 0xd7, 0x1a, 0x60, 0xb6, 0x79, 0x03,
	0xc8, 0x92, 0x25, 0x4a, 0x41, 0x41, 0xc0, 0x5a, 0x6c, 0xa3, 0x30, 0x0f,
	0x06, 0x03, 0x55, 0x1d, 0x13, 0x01, 0x01, 0xff, 0x04, 0x05, 0x30, 0x03,
	0x01, 0x01, 0xff, 0x30, 0x0a, 0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d,
	0x04, 0x03, 0x02, 0x03, 0x48, 0x00, 0x30, 0x45, 0x02, 0x20, 0x19, 0xa1,
	0x90, 0x05, 0xdb, 0x37, 0xaf, 0x24, 0x83, 0xdd, 0x43, 0xa6, 0xa5, 0x81,
	0x7e, 0x68, 0xfb, 0x4c, 0xc8, 0xac, 0x98, 0xb0, 0x2a, 0x97, 0x36, 0x16,
	0xfc, 0x39, 0x59, 0xfb, 0x4a, 0xf0, 0x02, 0x21, 0x00, 0x9e, 0x20, 0x86,
	0x4f, 0x21, 0x45, 0xab, 0x23, 0x84, 0x37, 0x9c, 0x68, 0x5c, 0x45, 0x7c,
	0xba, 0xea, 0xf4, 0xdf, 0xdf, 0x26, 0x2c, 0x8b, 0xac, 0x79, 0x43, 0x4e,
	0x17, 0xae, 0xf3, 0x5c, 0xa6
};
/* `openssl x509 -noout -fingerprint -sha256` and `-sha1` of that cert. */
#define CERT_FP256 "AF:FB:F1:B8:AF:3F:A5:AA:13:22:12:1A:04:2E:6B:8E:" \
	"89:6D:93:24:84:4B:72:80:40:E9:5A:A4:B5:72:6C:11"
#define CERT_FP1 "D9:91:E8:48:B2:66:EF:B2:08:45:4C:D3:4F:F5:56:DE:6B:D2:E5:7B"

/* FIPS 180 digests of "abc": sec_fp_of_der hashes the bytes it is given. */
static const struct {
	enum sec_fp_hash hash;
	const char *text;
} abc_kat[] = {
	{ SEC_FP_SHA1, "SHA-1 A9:99:3E:36:47:06:81:6A:BA:3E:25:71:78:50:C2:6C:"
		"9C:D0:D8:9D" },
	{ SEC_FP_SHA224, "SHA-224 23:09:7D:22:34:05:D8:22:86:42:A4:77:BD:A2:"
		"55:B3:2A:AD:BC:E4:BD:A0:B3:F7:E3:6C:9D:A7" },
	{ SEC_FP_SHA256, "SHA-256 BA:78:16:BF:8F:01:CF:EA:41:41:40:DE:5D:AE:"
		"22:23:B0:03:61:A3:96:17:7A:9C:B4:10:FF:61:F2:00:15:AD" },
	{ SEC_FP_SHA384, "SHA-384 CB:00:75:3F:45:A3:5E:8B:B5:A0:3D:69:9A:C6:"
		"50:07:27:2C:32:AB:0E:DE:D1:63:1A:8B:60:5A:43:FF:5B:ED:80:86:"
		"07:2B:A1:E7:CC:23:58:BA:EC:A1:34:C8:25:A7" },
	{ SEC_FP_SHA512, "SHA-512 DD:AF:35:A1:93:61:7A:BA:CC:41:73:49:AE:20:"
		"41:31:12:E6:FA:4E:89:A9:7E:A2:0A:9E:EE:E6:4B:55:D3:9A:21:92:"
		"99:2A:27:4F:C1:A8:36:BA:3C:23:A3:FE:EB:BD:45:4D:44:23:64:3C:"
		"E8:0E:2A:9A:C9:4F:A5:4C:A4:9F" },
};

static int
parse(const char *s, struct sec_fp *fp)
{
	return sec_fp_parse(s, strlen(s), fp);
}

/* "name XX:XX:.." with n bytes i*7+1, hex in upper or lower case. */
static void
make_value(char *out, size_t size, const char *name, unsigned int n, bool lower)
{
	size_t o = (size_t)snprintf(out, size, "%s ", name);
	unsigned int i;

	for (i = 0; i < n; i++)
		o += (size_t)snprintf(out + o, size - o, lower ? "%s%02x" : "%s%02X",
				i ? ":" : "", (uint8_t)(i * 7 + 1));
}

static void
test_parse_good(void)
{
	static const struct {
		const char *name;
		enum sec_fp_hash hash;
		unsigned int len;
	} v[] = {
		{ "sha-1", SEC_FP_SHA1, 20 }, { "SHA-1", SEC_FP_SHA1, 20 },
		{ "sha-224", SEC_FP_SHA224, 28 }, { "Sha-224", SEC_FP_SHA224, 28 },
		{ "sha-256", SEC_FP_SHA256, 32 }, { "SHA-256", SEC_FP_SHA256, 32 },
		{ "sha-384", SEC_FP_SHA384, 48 }, { "sHa-384", SEC_FP_SHA384, 48 },
		{ "sha-512", SEC_FP_SHA512, 64 }, { "SHA-512", SEC_FP_SHA512, 64 },
	};
	char buf[SEC_FP_TEXT_MAX + 16];
	struct sec_fp fp;
	unsigned int i, j, lower;

	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		for (lower = 0; lower < 2; lower++) {
			make_value(buf, sizeof(buf), v[i].name, v[i].len, lower);
			CU_ASSERT_EQUAL_FATAL(parse(buf, &fp), 0);
			CU_ASSERT_EQUAL(fp.hash, v[i].hash);
			CU_ASSERT_EQUAL(fp.len, v[i].len);
			for (j = 0; j < v[i].len; j++)
				CU_ASSERT_EQUAL(fp.md[j], (uint8_t)(j * 7 + 1));
			for (; j < SEC_FP_MD_MAX; j++)
				CU_ASSERT_EQUAL(fp.md[j], 0);
		}
	}
	/* mixed case inside one value */
	CU_ASSERT_EQUAL(parse("sha-1 aB:Cd:EF:01:23:45:67:89:ab:cd:ef:01:23:45:"
				"67:89:AB:CD:EF:00", &fp), 0);
	CU_ASSERT_EQUAL(fp.md[0], 0xab);
	CU_ASSERT_EQUAL(fp.md[1], 0xcd);
	CU_ASSERT_EQUAL(fp.md[19], 0x00);
}

static void
test_parse_refused_hash(void)
{
	struct sec_fp fp;

	/* RFC 8122 §5: MD2 and MD5 must not be used; unknown names are
	 * grammatical (token) but not ours */
	CU_ASSERT_EQUAL(parse("md5 01:02:03:04:05:06:07:08:09:0A:0B:0C:0D:0E:"
				"0F:10", &fp), -EPROTONOSUPPORT);
	CU_ASSERT_EQUAL(parse("MD5 01:02:03:04:05:06:07:08:09:0A:0B:0C:0D:0E:"
				"0F:10", &fp), -EPROTONOSUPPORT);
	CU_ASSERT_EQUAL(parse("md2 01:02:03:04:05:06:07:08:09:0A:0B:0C:0D:0E:"
				"0F:10", &fp), -EPROTONOSUPPORT);
	CU_ASSERT_EQUAL(parse("sha-3 01:02", &fp), -EPROTONOSUPPORT);
	CU_ASSERT_EQUAL(parse("sha-2560 01:02", &fp), -EPROTONOSUPPORT);
	CU_ASSERT_EQUAL(parse("sha256 01:02", &fp), -EPROTONOSUPPORT);
	CU_ASSERT_EQUAL(parse("x 01", &fp), -EPROTONOSUPPORT);
	CU_ASSERT_EQUAL(fp.len, 0);
}

static void
test_parse_malformed(void)
{
	static const char *bad[] = {
		"",
		" ",
		"sha-256",
		"sha-256 ",
		"sha-256:AB",                               /* no SP */
		" :AB",
		/* 31 and 33 bytes */
		"sha-256 01:02:03:04:05:06:07:08:09:0A:0B:0C:0D:0E:0F:10:11:12:13:"
			"14:15:16:17:18:19:1A:1B:1C:1D:1E:1F",
		"sha-256 01:02:03:04:05:06:07:08:09:0A:0B:0C:0D:0E:0F:10:11:12:13:"
			"14:15:16:17:18:19:1A:1B:1C:1D:1E:1F:20:21",
		/* SHA-1 length under sha-256 and the reverse */
		"sha-256 " CERT_FP1,
		"sha-1 " CERT_FP256,
		/* bad hex digit */
		"sha-1 D9:91:E8:48:B2:66:EF:B2:08:45:4C:D3:4F:F5:56:DE:6B:D2:E5:7G",
		"sha-1 D9:91:E8:48:B2:66:EF:B2:08:45:4C:D3:4F:F5:56:DE:6B:D2:E5:-1",
		/* missing colon, doubled colon, trailing colon, leading colon */
		"sha-1 D991:E8:48:B2:66:EF:B2:08:45:4C:D3:4F:F5:56:DE:6B:D2:E5:7B",
		"sha-1 D9::91:E8:48:B2:66:EF:B2:08:45:4C:D3:4F:F5:56:DE:6B:D2:E5:7B",
		"sha-1 D9:91:E8:48:B2:66:EF:B2:08:45:4C:D3:4F:F5:56:DE:6B:D2:E5:7B:",
		"sha-1 :D9:91:E8:48:B2:66:EF:B2:08:45:4C:D3:4F:F5:56:DE:6B:D2:E5:7B",
		/* single digit, three digits in a group, other separators */
		"sha-1 D9:91:E8:48:B2:66:EF:B2:08:45:4C:D3:4F:F5:56:DE:6B:D2:E5:7",
		"sha-1 D9:91:E8:48:B2:66:EF:B2:08:45:4C:D3:4F:F5:56:DE:6B:D2:E5:7BC",
		"sha-1 D9-91-E8-48-B2-66-EF-B2-08-45-4C-D3-4F-F5-56-DE-6B-D2-E5-7B",
		"sha-1 D9 91:E8:48:B2:66:EF:B2:08:45:4C:D3:4F:F5:56:DE:6B:D2:E5:7B",
		/* trailing junk */
		"sha-1 D9:91:E8:48:B2:66:EF:B2:08:45:4C:D3:4F:F5:56:DE:6B:D2:E5:7B x",
		"sha-1 D9:91:E8:48:B2:66:EF:B2:08:45:4C:D3:4F:F5:56:DE:6B:D2:E5:7B;",
		/* a hash name with a character outside token */
		"sha/1 D9:91:E8:48:B2:66:EF:B2:08:45:4C:D3:4F:F5:56:DE:6B:D2:E5:7B",
		/* the attribute name belongs to the SDP codec, not here */
		"fingerprint:sha-1 D9:91:E8:48:B2:66:EF:B2:08:45:4C:D3:4F:F5:56:DE:"
			"6B:D2:E5:7B",
	};
	static const char nul_end[] = "sha-1 " CERT_FP1 "\0";
	struct sec_fp fp;
	unsigned int i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		memset(&fp, 0xa5, sizeof(fp));
		if (parse(bad[i], &fp) != -EINVAL)
			printf("\n  accepted or wrong error: '%s'\n", bad[i]);
		CU_ASSERT_EQUAL(parse(bad[i], &fp), -EINVAL);
		CU_ASSERT_EQUAL(fp.len, 0);
	}
	/* an embedded NUL is a bad character, not the end of the value */
	CU_ASSERT_EQUAL(sec_fp_parse(nul_end, sizeof(nul_end) - 1, &fp), -EINVAL);
	CU_ASSERT_EQUAL(sec_fp_parse("sha-1 D9:91", 0, &fp), -EINVAL);
}

static void
test_parse_whitespace(void)
{
	struct sec_fp fp, ref;

	CU_ASSERT_EQUAL_FATAL(parse("sha-256 " CERT_FP256, &ref), 0);
	/* SP/HTAB around the value and between its parts, CR LF after it */
	CU_ASSERT_EQUAL(parse("  sha-256 " CERT_FP256, &fp), 0);
	CU_ASSERT(sec_fp_equal(&fp, &ref));
	CU_ASSERT_EQUAL(parse("sha-256 \t " CERT_FP256 " \t", &fp), 0);
	CU_ASSERT(sec_fp_equal(&fp, &ref));
	CU_ASSERT_EQUAL(parse("sha-256\t" CERT_FP256 "\r\n", &fp), 0);
	CU_ASSERT(sec_fp_equal(&fp, &ref));
	/* but no white space inside the hex string or the name */
	CU_ASSERT_EQUAL(parse("sha -256 " CERT_FP256, &fp), -EINVAL);
	CU_ASSERT_EQUAL(parse("sha-256 AF: FB:F1:B8:AF:3F:A5:AA:13:22:12:1A:04:"
				"2E:6B:8E:89:6D:93:24:84:4B:72:80:40:E9:5A:A4:B5:"
				"72:6C:11", &fp), -EINVAL);
	CU_ASSERT_EQUAL(parse("sha-256 " CERT_FP256 "\r\nx", &fp), -EINVAL);
}

static void
test_parse_bounded(void)
{
	/* the value followed by bytes that are not NUL: only len counts */
	const char *line = "sha-1 " CERT_FP1 ":FF:EE junk\r\na=setup:active";
	size_t vlen = strlen("sha-1 " CERT_FP1);
	char *copy;
	struct sec_fp fp, ref;
	size_t n;

	CU_ASSERT_EQUAL_FATAL(parse("sha-1 " CERT_FP1, &ref), 0);
	CU_ASSERT_EQUAL(sec_fp_parse(line, vlen, &fp), 0);
	CU_ASSERT(sec_fp_equal(&fp, &ref));
	CU_ASSERT_EQUAL(sec_fp_parse(line, vlen + 3, &fp), -EINVAL);
	CU_ASSERT_EQUAL(sec_fp_parse(line, strlen(line), &fp), -EINVAL);
	/* every shorter prefix is refused; the parser reads no byte past len
	 * (an exact-size heap copy: ASan catches an overread) */
	for (n = 0; n < vlen; n++) {
		copy = malloc(n ? n : 1);
		CU_ASSERT_FATAL(copy != NULL);
		memcpy(copy, line, n);
		CU_ASSERT_EQUAL(sec_fp_parse(copy, n, &fp), -EINVAL);
		free(copy);
	}
	copy = malloc(vlen);
	CU_ASSERT_FATAL(copy != NULL);
	memcpy(copy, line, vlen);
	CU_ASSERT_EQUAL(sec_fp_parse(copy, vlen, &fp), 0);
	CU_ASSERT(sec_fp_equal(&fp, &ref));
	free(copy);
}

static void
test_format(void)
{
	char buf[SEC_FP_TEXT_MAX];
	struct sec_fp fp;
	size_t n, want;

	CU_ASSERT_EQUAL_FATAL(parse("sha-256 " CERT_FP256, &fp), 0);
	want = strlen("SHA-256 " CERT_FP256);
	CU_ASSERT_EQUAL(sec_fp_format(&fp, buf, sizeof(buf)), (int)want);
	CU_ASSERT_STRING_EQUAL(buf, "SHA-256 " CERT_FP256);
	/* lower case in, upper case out */
	CU_ASSERT_EQUAL_FATAL(parse("sha-1 d9:91:e8:48:b2:66:ef:b2:08:45:4c:d3:"
				"4f:f5:56:de:6b:d2:e5:7b", &fp), 0);
	CU_ASSERT_EQUAL(sec_fp_format(&fp, buf, sizeof(buf)),
			(int)strlen("SHA-1 " CERT_FP1));
	CU_ASSERT_STRING_EQUAL(buf, "SHA-1 " CERT_FP1);
	/* exactly the room needed, and every size below it */
	for (n = 0; n <= strlen("SHA-1 " CERT_FP1); n++) {
		memset(buf, 'x', sizeof(buf));
		CU_ASSERT_EQUAL(sec_fp_format(&fp, buf, n), -ENOSPC);
		CU_ASSERT_EQUAL(buf[0], 'x');
	}
	CU_ASSERT_EQUAL(sec_fp_format(&fp, buf, n), (int)(n - 1));
	/* the longest value fits SEC_FP_TEXT_MAX exactly */
	memset(&fp, 0xff, sizeof(fp));
	fp.hash = SEC_FP_SHA512;
	fp.len = 64;
	CU_ASSERT_EQUAL(sec_fp_format(&fp, buf, SEC_FP_TEXT_MAX), SEC_FP_TEXT_MAX - 1);
	CU_ASSERT_EQUAL(sec_fp_format(&fp, buf, SEC_FP_TEXT_MAX - 1), -ENOSPC);
	/* an inconsistent struct is refused */
	fp.len = 32;
	CU_ASSERT_EQUAL(sec_fp_format(&fp, buf, sizeof(buf)), -EINVAL);
	fp.hash = SEC_FP_HASH_MAX;
	fp.len = 64;
	CU_ASSERT_EQUAL(sec_fp_format(&fp, buf, sizeof(buf)), -EINVAL);
}

static void
test_round_trip(void)
{
	char buf[SEC_FP_TEXT_MAX];
	struct sec_fp a, b;
	unsigned int h, i, k;
	int n;

	for (h = 0; h < SEC_FP_HASH_MAX; h++) {
		for (k = 0; k < 4; k++) {
			uint8_t in[4] = { 0x00, 0xff, (uint8_t)(h * 31 + k), 0x5a };

			/* digests of varied input as the values */
			CU_ASSERT_EQUAL_FATAL(sec_fp_of_der((enum sec_fp_hash)h, in,
						sizeof(in), &a), 0);
			n = sec_fp_format(&a, buf, sizeof(buf));
			CU_ASSERT_FATAL(n > 0);
			CU_ASSERT_EQUAL(sec_fp_parse(buf, (size_t)n, &b), 0);
			CU_ASSERT(sec_fp_equal(&a, &b));
			CU_ASSERT_EQUAL(b.hash, a.hash);
			CU_ASSERT_EQUAL(b.len, a.len);
			CU_ASSERT(memcmp(a.md, b.md, SEC_FP_MD_MAX) == 0);
			for (i = 0; i < (unsigned int)n; i++)
				CU_ASSERT(buf[i] < 'a' || buf[i] > 'z');
		}
	}
}

static void
test_of_der(void)
{
	char buf[SEC_FP_TEXT_MAX];
	struct sec_fp fp, ref;
	unsigned int i;

	for (i = 0; i < sizeof(abc_kat) / sizeof(abc_kat[0]); i++) {
		CU_ASSERT_EQUAL_FATAL(sec_fp_of_der(abc_kat[i].hash,
					(const uint8_t *)"abc", 3, &fp), 0);
		CU_ASSERT_EQUAL(sec_fp_format(&fp, buf, sizeof(buf)),
				(int)strlen(abc_kat[i].text));
		CU_ASSERT_STRING_EQUAL(buf, abc_kat[i].text);
	}
	/* the certificate, against the openssl command's fingerprints */
	CU_ASSERT_EQUAL_FATAL(sec_fp_of_der(SEC_FP_SHA256, cert_der,
				sizeof(cert_der), &fp), 0);
	CU_ASSERT_EQUAL_FATAL(parse("sha-256 " CERT_FP256, &ref), 0);
	CU_ASSERT(sec_fp_equal(&fp, &ref));
	CU_ASSERT_EQUAL(sec_fp_format(&fp, buf, sizeof(buf)),
			(int)strlen("SHA-256 " CERT_FP256));
	CU_ASSERT_STRING_EQUAL(buf, "SHA-256 " CERT_FP256);
	CU_ASSERT_EQUAL_FATAL(sec_fp_of_der(SEC_FP_SHA1, cert_der,
				sizeof(cert_der), &fp), 0);
	CU_ASSERT_EQUAL(sec_fp_format(&fp, buf, sizeof(buf)),
			(int)strlen("SHA-1 " CERT_FP1));
	CU_ASSERT_STRING_EQUAL(buf, "SHA-1 " CERT_FP1);
	/* bad arguments */
	CU_ASSERT_EQUAL(sec_fp_of_der(SEC_FP_HASH_MAX, cert_der, sizeof(cert_der),
				&fp), -EINVAL);
	CU_ASSERT_EQUAL(fp.len, 0);
	CU_ASSERT_EQUAL(sec_fp_of_der(SEC_FP_SHA256, cert_der, 0, &fp), -EINVAL);
	CU_ASSERT_EQUAL(sec_fp_of_der(SEC_FP_SHA256, NULL, 10, &fp), -EINVAL);
}

static void
test_equal(void)
{
	struct sec_fp a, b;

	CU_ASSERT_EQUAL_FATAL(parse("sha-256 " CERT_FP256, &a), 0);
	b = a;
	CU_ASSERT(sec_fp_equal(&a, &b));
	/* each byte matters, the last one too */
	b.md[31] ^= 0x01;
	CU_ASSERT(!sec_fp_equal(&a, &b));
	b = a;
	b.md[0] ^= 0x80;
	CU_ASSERT(!sec_fp_equal(&a, &b));
	/* same bytes under another hash of the same length is not equal */
	b = a;
	b.hash = SEC_FP_SHA1;
	CU_ASSERT(!sec_fp_equal(&a, &b));
	b.len = 20;
	CU_ASSERT(!sec_fp_equal(&a, &b));
	/* bytes past len do not count */
	b = a;
	b.md[40] = 0x77;
	CU_ASSERT(sec_fp_equal(&a, &b));
	/* an inconsistent struct equals nothing, not even itself */
	b = a;
	b.len = 0;
	CU_ASSERT(!sec_fp_equal(&b, &b));
}

int
main(void)
{
	CU_pSuite s;
	unsigned int f;

	if (CU_initialize_registry() != CUE_SUCCESS)
		return 1;
	s = CU_add_suite("sec_fp", NULL, NULL);
	CU_add_test(s, "parse good values, every hash and case", test_parse_good);
	CU_add_test(s, "md5, md2, unknown hash refused", test_parse_refused_hash);
	CU_add_test(s, "malformed values refused", test_parse_malformed);
	CU_add_test(s, "white space at the ends", test_parse_whitespace);
	CU_add_test(s, "parsing bounded by len", test_parse_bounded);
	CU_add_test(s, "format upper case, ENOSPC", test_format);
	CU_add_test(s, "format/parse round trip", test_round_trip);
	CU_add_test(s, "of_der known answers", test_of_der);
	CU_add_test(s, "equal", test_equal);
	CU_basic_set_mode(CU_BRM_VERBOSE);
	CU_basic_run_tests();
	f = CU_get_number_of_failures();
	CU_cleanup_registry();
	return f ? 1 : 0;
}
