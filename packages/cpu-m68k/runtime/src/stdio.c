/*
 * A small stdio. stdout collects output in a buffer written out when it fills, on fflush,
 * and at exit (one system call per buffer, as a libc does when stdout is a pipe or a file);
 * stderr writes at once. Formatting goes through one routine that feeds a sink, so printf,
 * fprintf and snprintf format identically.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define BUFFER_SIZE 1024

struct pagelab_file {
	int fd;
	int buffered;
	unsigned length;
	unsigned position; /* input: the next byte of buf to hand out */
	int at_end;
	char buf[BUFFER_SIZE];
};

static struct pagelab_file in_file = { 0, 1, 0, 0, 0, { 0 } };
static struct pagelab_file out_file = { 1, 1, 0, 0, 0, { 0 } };
static struct pagelab_file err_file = { 2, 0, 0, 0, 0, { 0 } };

FILE *const stdin = &in_file;
FILE *const stdout = &out_file;
FILE *const stderr = &err_file;

static int write_all(int fd, const char *p, unsigned length)
{
	while (length > 0) {
		long n = write(fd, p, length);
		if (n <= 0)
			return EOF;
		p += n;
		length -= (unsigned)n;
	}
	return 0;
}

int fflush(FILE *stream)
{
	if (stream == 0)
		return fflush(stdout) | fflush(stderr);
	if (stream->fd == 0 || stream->length == 0)
		return 0;
	unsigned length = stream->length;
	stream->length = 0;
	return write_all(stream->fd, stream->buf, length);
}

int fputc(int c, FILE *stream)
{
	char ch = (char)c;
	if (stream->fd == 0)
		return EOF;
	if (!stream->buffered)
		return write_all(stream->fd, &ch, 1) == 0 ? (unsigned char)ch : EOF;
	if (stream->length == BUFFER_SIZE && fflush(stream) != 0)
		return EOF;
	stream->buf[stream->length++] = ch;
	return (unsigned char)ch;
}

int putc(int c, FILE *stream)
{
	return fputc(c, stream);
}

int putchar(int c)
{
	return fputc(c, stdout);
}

int fputs(const char *s, FILE *stream)
{
	if (!stream->buffered)
		return write_all(stream->fd, s, strlen(s));
	for (; *s; s++)
		if (fputc(*s, stream) == EOF)
			return EOF;
	return 0;
}

size_t fwrite(const void *data, size_t size, size_t count, FILE *stream)
{
	const char *p = data;
	size_t total = size * count;
	if (!stream->buffered)
		return write_all(stream->fd, p, total) == 0 ? count : 0;
	for (size_t i = 0; i < total; i++)
		if (fputc(p[i], stream) == EOF)
			return size == 0 ? 0 : i / size;
	return count;
}

int puts(const char *s)
{
	return fputs(s, stdout) == EOF ? EOF : putchar('\n');
}

/* Where formatted characters go: a stream, or a caller's buffer that keeps at most `room` of them. */
struct sink {
	FILE *stream;
	char *buf;
	size_t room;
	int count;
};

static void emit(struct sink *sink, char c)
{
	if (sink->stream != 0) {
		fputc(c, sink->stream);
	} else if ((size_t)sink->count + 1 < sink->room) {
		sink->buf[sink->count] = c;
	}
	sink->count++;
}

static void emit_padding(struct sink *sink, char c, int n)
{
	while (n-- > 0)
		emit(sink, c);
}

/* Reads a width or precision: digits, or `*` taking an int argument. */
static int read_count(const char **format, va_list *args)
{
	int n = 0;
	if (**format == '*') {
		(*format)++;
		return va_arg(*args, int);
	}
	while (**format >= '0' && **format <= '9')
		n = n * 10 + (*(*format)++ - '0');
	return n;
}

static int format_to(struct sink *sink, const char *format, va_list *args)
{
	static const char lower[] = "0123456789abcdef";
	static const char upper[] = "0123456789ABCDEF";
	for (; *format; format++) {
		if (*format != '%') {
			emit(sink, *format);
			continue;
		}
		format++;
		int left = 0, zero = 0, plus = 0, space = 0, alternate = 0, precision = -1;
		for (;; format++) {
			if (*format == '-')
				left = 1;
			else if (*format == '0')
				zero = 1;
			else if (*format == '+')
				plus = 1;
			else if (*format == ' ')
				space = 1;
			else if (*format == '#')
				alternate = 1;
			else
				break;
		}
		int width = read_count(&format, args);
		if (width < 0) {
			left = 1;
			width = -width;
		}
		if (*format == '.') {
			format++;
			precision = read_count(&format, args);
		}
		/* int and long are both 32 bits here; h and hh narrow the argument as C says. */
		int narrow = 0;
		while (*format == 'l' || *format == 'h' || *format == 'z') {
			if (*format == 'h')
				narrow++;
			format++;
		}
		char spec = *format;
		char digits[12];
		int ndigits = 0;
		const char *text = digits;
		int length;
		char sign = 0;
		const char *prefix = "";
		switch (spec) {
		case 'd':
		case 'i':
		case 'u':
		case 'x':
		case 'X':
		case 'o':
		case 'p': {
			unsigned long v;
			unsigned base = spec == 'o' ? 8 : (spec == 'x' || spec == 'X' || spec == 'p') ? 16 : 10;
			const char *set = spec == 'X' ? upper : lower;
			if (spec == 'p') {
				v = (unsigned long)va_arg(*args, void *);
				prefix = "0x";
			} else if (spec == 'd' || spec == 'i') {
				long s = va_arg(*args, long);
				if (narrow == 1)
					s = (short)s;
				else if (narrow >= 2)
					s = (signed char)s;
				if (s < 0) {
					sign = '-';
					v = -(unsigned long)s;
				} else {
					sign = plus ? '+' : space ? ' ' : 0;
					v = (unsigned long)s;
				}
			} else {
				v = va_arg(*args, unsigned long);
				if (narrow == 1)
					v = (unsigned short)v;
				else if (narrow >= 2)
					v = (unsigned char)v;
			}
			/* Digits are produced backwards into the end of the buffer. */
			do {
				digits[sizeof digits - 1 - ndigits++] = set[v % base];
				v /= base;
			} while (v != 0);
			int is_zero = ndigits == 1 && digits[sizeof digits - 1] == '0';
			if (precision == 0 && is_zero && spec != 'p')
				ndigits = 0;
			/* The # flag: 0x/0X before a non-zero hex number, a leading 0 for octal. */
			if (alternate && !is_zero && spec == 'x')
				prefix = "0x";
			else if (alternate && !is_zero && spec == 'X')
				prefix = "0X";
			text = digits + sizeof digits - ndigits;
			int zeros = precision > ndigits ? precision - ndigits : 0;
			if (alternate && spec == 'o' && zeros == 0 && (ndigits == 0 || text[0] != '0'))
				zeros = 1;
			int body = (sign ? 1 : 0) + (int)strlen(prefix) + zeros + ndigits;
			if (zero && !left && precision < 0 && width > body) {
				zeros += width - body;
				body = width;
			}
			if (!left)
				emit_padding(sink, ' ', width - body);
			if (sign)
				emit(sink, sign);
			for (const char *p = prefix; *p; p++)
				emit(sink, *p);
			emit_padding(sink, '0', zeros);
			for (int i = 0; i < ndigits; i++)
				emit(sink, text[i]);
			if (left)
				emit_padding(sink, ' ', width - body);
			continue;
		}
		case 'c':
			digits[0] = (char)va_arg(*args, int);
			length = 1;
			break;
		case 's':
			text = va_arg(*args, const char *);
			if (text == 0)
				text = "(null)";
			for (length = 0; text[length] && (precision < 0 || length < precision); length++)
				;
			break;
		case '%':
			digits[0] = '%';
			length = 1;
			break;
		default:
			/* An unknown conversion is printed as written, so the mistake shows in the output. */
			emit(sink, '%');
			if (spec == 0)
				return sink->count;
			digits[0] = spec;
			length = 1;
			break;
		}
		if (!left)
			emit_padding(sink, zero ? '0' : ' ', width - length);
		for (int i = 0; i < length; i++)
			emit(sink, text[i]);
		if (left)
			emit_padding(sink, ' ', width - length);
	}
	return sink->count;
}

int vfprintf(FILE *stream, const char *format, va_list args)
{
	struct sink sink = { stream, 0, 0, 0 };
	va_list copy;
	/* An unbuffered stream (stderr) is buffered for the length of one call: one write, not one per character. */
	int unbuffered = !stream->buffered;
	if (unbuffered) {
		fflush(stream);
		stream->buffered = 1;
	}
	va_copy(copy, args);
	int n = format_to(&sink, format, &copy);
	va_end(copy);
	if (unbuffered) {
		stream->buffered = 0;
		if (fflush(stream) != 0)
			return -1;
	}
	return n;
}

int vprintf(const char *format, va_list args)
{
	return vfprintf(stdout, format, args);
}

int vsnprintf(char *buf, size_t size, const char *format, va_list args)
{
	struct sink sink = { 0, buf, size, 0 };
	va_list copy;
	va_copy(copy, args);
	int n = format_to(&sink, format, &copy);
	va_end(copy);
	if (size > 0)
		buf[(size_t)n < size ? (size_t)n : size - 1] = 0;
	return n;
}

int printf(const char *format, ...)
{
	va_list args;
	va_start(args, format);
	int n = vfprintf(stdout, format, args);
	va_end(args);
	return n;
}

int fprintf(FILE *stream, const char *format, ...)
{
	va_list args;
	va_start(args, format);
	int n = vfprintf(stream, format, args);
	va_end(args);
	return n;
}

int dprintf(int fd, const char *format, ...)
{
	char buf[256];
	va_list args;
	va_start(args, format);
	int n = vsnprintf(buf, sizeof buf, format, args);
	va_end(args);
	if (write_all(fd, buf, (unsigned)n < sizeof buf ? (unsigned)n : sizeof buf - 1) != 0)
		return -1;
	return n;
}

int sprintf(char *buf, const char *format, ...)
{
	va_list args;
	va_start(args, format);
	int n = vsnprintf(buf, 0x7fffffff, format, args);
	va_end(args);
	return n;
}

int snprintf(char *buf, size_t size, const char *format, ...)
{
	va_list args;
	va_start(args, format);
	int n = vsnprintf(buf, size, format, args);
	va_end(args);
	return n;
}

int fgetc(FILE *stream)
{
	if (stream != stdin)
		return EOF;
	if (stream->position == stream->length) {
		if (stream->at_end)
			return EOF;
		long n = read(0, stream->buf, BUFFER_SIZE);
		if (n <= 0) {
			stream->at_end = 1;
			return EOF;
		}
		stream->length = (unsigned)n;
		stream->position = 0;
	}
	return (unsigned char)stream->buf[stream->position++];
}

int getc(FILE *stream)
{
	return fgetc(stream);
}

int getchar(void)
{
	return fgetc(stdin);
}

char *fgets(char *buf, int size, FILE *stream)
{
	int n = 0;
	while (n + 1 < size) {
		int c = fgetc(stream);
		if (c == EOF)
			break;
		buf[n++] = (char)c;
		if (c == '\n')
			break;
	}
	if (n == 0 || size <= 0)
		return 0;
	buf[n] = 0;
	return buf;
}
