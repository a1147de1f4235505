# npm records no lock entry for an optional platform package that its registry cannot serve, and
# `npm ci` then fails ("Missing: @unrs/resolver-binding-... from lock file"). The registry mirror
# this project is built with lacks the non-Linux unrs-resolver bindings (used by jest 30 and
# eslint-import-resolver-typescript 4), so this adds their entries, marked optional with the
# os/cpu they need; npm ci skips them on Linux. Run it after every dependency change:
#   python3 .ci/complete-lockfile.py
import json, re
p='package-lock.json'
lock=json.load(open(p))
pk=lock['packages']
parent=pk['node_modules/unrs-resolver']
added=[]
for name, ver in parent['optionalDependencies'].items():
    key='node_modules/'+name
    if key in pk: continue
    plat=name.split('resolver-binding-')[1]
    parts=plat.split('-')
    os_, cpu = parts[0], parts[1]
    if os_=='win32': pass
    entry={"version":ver,"resolved":f"https://registry.npmjs.org/{name}/-/{name.split('/')[1]}-{ver}.tgz","cpu":[cpu],"dev":True,"license":"MIT","optional":True,"os":[os_]}
    if os_=='linux' and len(parts)>2:
        libc=parts[2]
        if libc in ('gnu','musl'): entry['libc']=['glibc' if libc=='gnu' else 'musl']
        if libc in ('gnueabihf','musleabihf'): entry['libc']=['glibc' if libc.startswith('gnu') else 'musl']
    pk[key]=entry; added.append(name)
lock['packages']=dict(sorted(pk.items(), key=lambda kv: (kv[0]!='', kv[0])))
json.dump(lock, open(p,'w'), indent=2); open(p,'a').write('\n')
print(added)
