package topics

import (
	"strconv"
	"strings"
)

// refFreqList gives rough frequencies per million words of common English
// content words (rounded, from general knowledge of British and American
// written English; function words are stopwords and need none). It is the
// reference Suggest compares a corpus with: precision is not needed, only
// the difference between "everyday word" and "this corpus's word".
const refFreqList = `
time:1800 year:1600 people:1250 way:1100 man:1000 day:900 work:900 thing:800 government:800
life:700 part:700 child:600 world:600 group:600 case:600 system:600 number:600 point:600
home:600 area:600 place:600 right:600 back:600 school:500 state:500 family:500 country:500
problem:500 hand:500 week:500 company:500 question:500 end:500 house:500 business:500
woman:600 service:550 money:450 fact:450 head:450 month:400 lot:400 book:400 word:400
kind:400 side:400 power:400 line:400 member:400 name:400 level:400 party:400 change:400
night:400 use:400 help:400 information:400 others:400 job:350 eye:350 issue:350 law:350
car:350 result:350 policy:350 interest:350 market:350 local:350 different:350 important:350
large:350 city:300 team:300 idea:300 body:300 office:300 health:300 person:300 war:300
hour:300 friend:300 mother:300 process:300 form:300 mind:300 view:300 sense:300 support:300
public:300 social:300 national:300 general:300 young:300 whole:300 able:300 development:300
history:250 reason:300 research:250 force:250 education:250 age:250 class:250 control:250
care:250 role:250 rate:250 police:250 report:250 action:250 position:250 matter:250
price:200 decision:200 town:200 road:250 value:200 society:200 paper:200 ground:200 event:200
project:200 table:200 court:200 situation:200 cost:200 industry:200 figure:200 street:200
data:200 practice:200 land:200 evidence:200 field:200 effect:250 experience:250 plan:250
staff:250 free:250 real:250 clear:250 major:250 hard:250 early:250 open:200 true:200 bad:200
late:200 low:200 human:200 high:400 long:500 small:400 big:250 short:150 special:200
private:150 political:250 economic:150 love:200 light:200 heart:200 music:150 art:200
death:250 voice:150 wife:150 town:200 building:150 model:150 director:150 tax:150 record:150
space:150 site:150 couple:150 activity:150 product:150 doctor:150 wall:150 patient:150
worker:150 news:150 test:150 picture:150 piece:150 relationship:150 difference:150
attention:150 film:150 source:150 window:150 phone:100 computer:100 technology:100
organisation:100 population:100 step:100 baby:100 tree:100 star:100 season:100 effort:100
official:100 player:100 image:100 oil:100 center:100 centre:150 girl:250 boy:200 foot:200
air:200 moment:300 morning:250 father:250 game:250 door:250 face:300 student:300 water:400
room:400 story:250 teacher:100 college:150 nation:100 parent:150 kid:150 guy:100
hope:200 believe:250 feel:350 happen:200 provide:250 include:300 continue:200 set:350
learn:150 lead:200 understand:200 follow:250 stop:150 create:100 speak:150 allow:250
add:150 spend:150 grow:150 offer:150 remember:200 consider:200 appear:200 buy:100 wait:150
serve:100 die:150 send:100 expect:200 build:150 stay:150 fall:150 cut:150 reach:150
kill:100 remain:200 suggest:150 raise:100 pass:150 sell:100 require:150 decide:150
pull:100 return:150 explain:100 hold:250 bring:300 begin:250 run:250 move:200 live:250
play:250 pay:200 meet:200 lose:150 write:250 turn:300 start:250 show:250 hear:200 call:300
leave:350 mean:400 talk:200 become:400 tell:500 try:300 seem:300 ask:300 need:300
current:150 recent:150 possible:200 certain:200 likely:150 available:150 particular:200
significant:100 similar:150 serious:100 simple:100 difficult:150 necessary:150 main:200
final:100 wrong:150 total:100 common:150 strong:200 poor:150 easy:100 single:100 full:250
complete:100 nice:100 happy:150 sorry:100 fine:100 bit:200 sort:200 yesterday:150
community:250 crime:80 justice:60 prison:60 officer:100 victim:40 sentence:60 offender:10
criminal:50 trust:100 budget:50 contract:100 manager:100 management:100 union:80
longer:150 supposed:100 direct:100 response:100 purpose:100 individual:100 concern:100
professional:100 skill:80 fail:100 failing:50 deliver:60 employment:80 media:80 interview:60
colleague:50 inspector:20 delete:30
one:3000 two:1500 three:700 four:400 five:350 six:250 seven:150 eight:150 nine:100 ten:250
eleven:40 twelve:60 twenty:150 thirty:80 forty:60 fifty:60 sixty:40 hundred:200
thousand:120 million:200 half:300 per:400 cent:300 percent:200 minute:250 second:400
third:200 list:150 honestly:60 exactly:150 actually:300 really:500 probably:250
already:350 anyway:100 apparently:60 basically:50 certainly:150 clearly:150 simply:200
obviously:80 surely:80 totally:60 absolutely:80 quite:300 rather:300 almost:250
`

// refFreq maps a stem to its frequency per million in general English.
var refFreq = func() map[string]float64 {
	m := map[string]float64{}
	for _, f := range strings.Fields(refFreqList) {
		w, n, ok := strings.Cut(f, ":")
		if !ok {
			panic("reference list: bad entry " + f)
		}
		v, err := strconv.ParseFloat(n, 64)
		if err != nil {
			panic("reference list: bad entry " + f)
		}
		m[stemWord(w)] += v
	}
	return m
}()

// refPerMillion returns the general-English frequency of a stem, or 10 per
// million for words the list does not hold (a typical uncommon word).
func refPerMillion(stem string) float64 {
	if f, ok := refFreq[stem]; ok {
		return f
	}
	return 10
}
