#include <unistd.h>
static unsigned char buf[4096];
int main(void) {
  unsigned crc = 0xffffffffu;
  for (int i = 0; i < 4096; i++) buf[i] = (unsigned char)(i * 7 + 3);
  for (int round = 0; round < 120; round++) {
    for (int i = 0; i < 4096; i++) {
      crc ^= buf[i];
      for (int k = 0; k < 8; k++) crc = (crc >> 1) ^ (0xedb88320u & -(crc & 1));
    }
  }
  char out[9];
  for (int i = 0; i < 8; i++) { unsigned d = (crc >> (28 - 4 * i)) & 15; out[i] = d < 10 ? '0' + d : 'a' + d - 10; }
  out[8] = '\n';
  write(1, out, 9);
  return 0;
}
