#!/usr/bin/python3
"""vCards made and read by python3-vobject, an implementation other than ours.

  vcard_vobject.py write 3.0|4.0 FILE   cards with every field rapport maps
  vcard_vobject.py read FILE            the cards of FILE as JSON, as vobject reads them
"""
import base64
import json
import sys

import vobject


def card(version, fn, family, given, uid, tels, emails, adr, bday, anniversary, note, org, cats, related=None,
         photo=False):
    c = vobject.vCard()
    c.add('version').value = version
    c.add('uid').value = uid
    c.add('fn').value = fn
    c.add('n').value = vobject.vcard.Name(family=family, given=given)
    for number, types in tels:
        t = c.add('tel')
        t.value = number
        t.type_paramlist = types
    for address, types in emails:
        e = c.add('email')
        e.value = address
        e.type_paramlist = types
    if adr:
        a = c.add('adr')
        a.value = vobject.vcard.Address(street=adr[0], city=adr[1], code=adr[2], country=adr[3])
        a.type_paramlist = ['HOME']
    if bday:
        c.add('bday').value = bday
    if anniversary:
        c.add('anniversary' if version == '4.0' else 'x-anniversary').value = anniversary
    if note:
        c.add('note').value = note
    if org:
        c.add('org').value = org
    if cats:
        c.add('categories').value = cats
    if related:
        r = c.add('related')
        r.value = related[0]
        r.type_param = related[1]
        r.value_param = 'text'
    if photo:
        p = c.add('photo')
        p.encoding_param = 'b'
        p.type_param = 'JPEG'
        # 200 KB of picture, folded by vobject over thousands of lines
        p.value = bytes(range(256)) * 800
    return c


def write(version, path):
    v4 = version == '4.0'
    cards = [
        card(version, 'Анна Иванова', 'Иванова', 'Анна', 'urn:uuid:1f0b6a62-anna',
             [('8 (916) 123-45-67', ['HOME', 'CELL']), ('+7 495 123-45-67', ['WORK'])],
             [('anna@example.org', ['HOME']), ('anna.ivanova@work.example', ['WORK'])],
             ('ул. Тверская, 1; кв. 5', 'Москва', '125009', 'Россия'),
             '19850415' if v4 else '1985-04-15', '20100620' if v4 else '2010-06-20',
             'Любит зелёный чай; приходит по субботам,\nиногда с дочерью', ['ООО Ромашка'],
             ['vip', 'постоянные'], None, True),
        card(version, 'Пётр Сидоров', 'Сидоров', 'Пётр', 'urn:uuid:2c9d-petr',
             [('+7 903 111-22-33', ['CELL'])], [('petr@example.org', ['INTERNET'])], None,
             '--0415' if v4 else '--04-15', None, None, None, ['опт'],
             ('Анна Иванова', 'friend') if v4 else None),
    ]
    with open(path, 'w', encoding='utf-8', newline='') as f:
        for c in cards:
            f.write(c.serialize())


def read(path):
    out = []
    with open(path, encoding='utf-8') as f:
        text = f.read()
    for c in vobject.readComponents(text):
        def vals(name):
            return [(x.value, sorted(t.lower() for t in x.params.get('TYPE', []))) for x in c.contents.get(name, [])]

        def one(name):
            x = c.contents.get(name)
            return x[0].value if x else None
        adr = c.contents.get('adr')
        org = one('org')
        cats = one('categories')
        out.append({
            'version': one('version'),
            'uid': one('uid'),
            'fn': one('fn'),
            'tel': vals('tel'),
            'email': vals('email'),
            'adr': adr[0].value.street if adr else None,
            'adr_type': sorted(t.lower() for t in adr[0].params.get('TYPE', [])) if adr else None,
            'bday': one('bday'),
            'anniversary': one('anniversary') or one('x-anniversary'),
            'note': one('note'),
            'org': org,
            'categories': cats,
            'related': one('related'),
        })
    json.dump(out, sys.stdout, ensure_ascii=False)


if __name__ == '__main__':
    if sys.argv[1] == 'write':
        write(sys.argv[2], sys.argv[3])
    else:
        read(sys.argv[2])
