#!/usr/bin/env python3
"""Writes the FAT reader's seed images: a FAT12 and a FAT32 volume of eight 512-byte sectors, each holding
gatecheck-trust.bundle (long name and 8.3 alias) over a two-cluster chain. Run from this folder."""
import struct

NAME = "gatecheck-trust.bundle"
SHORT = b"GATECH~1BUN"
CONTENTS = bytes((i * 7 + 3) & 0xFF for i in range(700))


def checksum(short):
    total = 0
    for byte in short:
        total = (((total & 1) << 7) + (total >> 1) + byte) & 0xFF
    return total


def entries(first):
    units = [ord(c) for c in NAME] + [0]
    units += [0xFFFF] * (26 - len(units))
    out = b""
    for part in (2, 1):
        chunk = units[(part - 1) * 13:part * 13]
        entry = bytearray(32)
        entry[0] = part | (0x40 if part == 2 else 0)
        entry[11] = 0x0F
        entry[13] = checksum(SHORT)
        for index, offset in enumerate([1, 3, 5, 7, 9, 14, 16, 18, 20, 22, 24, 28, 30]):
            struct.pack_into("<H", entry, offset, chunk[index])
        out += entry
    short = bytearray(32)
    short[0:11] = SHORT
    short[11] = 0x20
    struct.pack_into("<H", short, 20, first >> 16)
    struct.pack_into("<HI", short, 26, first & 0xFFFF, len(CONTENTS))
    return out + bytes(short)


def image(fat32):
    sectors = 8
    data = bytearray(512 * sectors)
    data[0:3] = b"\xEB\x3C\x90"
    data[3:11] = b"GCSEED  "
    struct.pack_into("<HBHBHHBH", data, 11, 512, 1, 1, 1, 0 if fat32 else 16, sectors, 0xF8, 0 if fat32 else 1)
    if fat32:
        struct.pack_into("<I", data, 36, 1)
        struct.pack_into("<I", data, 44, 2)
    data[510:512] = b"\x55\xAA"
    fat = 512
    if fat32:
        struct.pack_into("<IIIII", data, fat, 0x0FFFFFF8, 0x0FFFFFFF, 0x0FFFFFFF, 4, 0x0FFFFFFF)
        root, first, data_start = 1024, 3, 1024
    else:
        # FAT12: clusters 2 → 3 → end, packed two entries in three bytes.
        values = [0xFF8, 0xFFF, 3, 0xFFF]
        for index in range(0, len(values), 2):
            packed = values[index] | (values[index + 1] << 12)
            data[fat + index * 3 // 2:fat + index * 3 // 2 + 3] = packed.to_bytes(3, "little")
        root, first, data_start = 1024, 2, 1536
    table = entries(first)
    data[root:root + len(table)] = table
    offset = data_start + (first - 2) * 512
    data[offset:offset + len(CONTENTS)] = CONTENTS
    return bytes(data)


with open("fat12-tiny.img", "wb") as out:
    out.write(image(False))
with open("fat32-tiny.img", "wb") as out:
    out.write(image(True))
