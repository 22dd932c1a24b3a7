"""Self time per op of a libtorch Chrome trace (OpProfile, TrainProfile): TRACE.json ITERATIONS [TOP [shapes]].

Nested events are subtracted from their parents per thread, so the ops' times add up to the profiled wall time of
the threads that ran them."""
import json,sys,collections
d=json.load(open(sys.argv[1]))
ev=d['traceEvents'] if isinstance(d,dict) else d
ev=[e for e in ev if e.get('ph')=='X' and 'dur' in e]
n=int(sys.argv[2])
bytid=collections.defaultdict(list)
for e in ev: bytid[e.get('tid')].append(e)
selft=collections.Counter(); cnt=collections.Counter(); shapes=collections.defaultdict(collections.Counter)
top=collections.Counter()
for tid,es in bytid.items():
    es.sort(key=lambda e:(e['ts'],-e['dur']))
    stack=[]
    for e in es:
        while stack and stack[-1]['ts']+stack[-1]['dur']<=e['ts']: stack.pop()
        e['self']=e['dur']
        if stack: stack[-1]['self']-=e['dur']
        else: top[e['name']]+=e['dur']
        stack.append(e)
    for e in es:
        selft[e['name']]+=e['self']; cnt[e['name']]+=1
        dims=str(e.get('args',{}).get('Input Dims',''))[:90]
        shapes[e['name']][dims]+=e['self']
tot=sum(selft.values())
print('total self ms/iter %.2f  top-level ms/iter %.2f'%(tot/1000/n, sum(top.values())/1000/n))
for k,v in selft.most_common(int(sys.argv[3]) if len(sys.argv)>3 else 25):
    print('%8.3f ms/iter %6.1f calls/iter  %s'%(v/1000/n,cnt[k]/n,k))
    if len(sys.argv)>4:
        for s,t in shapes[k].most_common(4): print('        %7.3f  %s'%(t/1000/n,s))
