package synth

// The vocabulary of the real shape: clause templates and the words their
// slots are filled from, all written for chorus in the manner of a probation
// staff blog (none of it is taken from the seeds or any other text). A slot
// is written {name}. {org}, {people} and {thing} are filled from the
// comment's themes or from the neutral lists (see themes); every other slot
// from the list of that name in slotWords.
//
// Templates are chosen so that the text does the work real comments make a
// pipeline do: domain words the topic tagger matches, sentiment words with
// the boosters, negations, contrasts, capitals and punctuation VADER's rules
// react to, and plenty of ordinary English around them.

// clauseTemplates are neutral clauses: they use no word the default topic
// taxonomy tags, so that a comment's topics come from its themes alone.
// Each can stand alone or be joined to others into a longer sentence. They
// start in lower case (or with a name) and never with a digit or a weekday,
// so no paragraph can be read as a list item or a date line.
var clauseTemplates = []string{
	"{org} has {verbPast} {thing} {when}",
	"{org} {verbPres} {thing}",
	"{people} are {feelNeg}",
	"{people} {where} are {feelNeg} and it shows",
	"I am {intens} {feelNeg} about {thing}",
	"I feel {feelNeg} every time {thing} comes up",
	"{thing} is {intens} {adjNeg}",
	"{thing} is {adjNeg}",
	"{thing} is {badNoun}",
	"{thing} is not {adjPos} at all",
	"{thing} has been {adjNeg} from the start",
	"nobody {where} has had proper training on {thing}",
	"{people} {where} are doing their best",
	"{people} {where} were asked about {thing} {when}",
	"{people} were told about {thing} {when}",
	"{org} never listened to {people}",
	"I don't think {org} understands {thing}",
	"I can't see {thing} getting any better",
	"the sad truth is that {thing} is {adjNeg}",
	"{people} deserve {deserve}",
	"{org} should be ashamed of {thing}",
	"I agree with every word of this",
	"{people} are leaving in droves",
	"{org} wants {people} to do more with less",
	"I have been in probation for {years} years and never seen it this bad",
	"{people} have lost all trust in {org}",
	"nothing will change until {org} listens",
	"{people} are not fools",
	"it is {intens} good to see {people} speaking out",
	"we had a visit from {org} {when}",
	"we are NOT allowed to say so in public",
	"{org} is {badNoun}",
	"I love this job but not what it has become",
	"we were promised {thing} would be sorted {when}",
	"{people} {where} have been left to carry {thing}",
	"{org} keeps telling us {thing} is on track",
	"I don't blame {people}, I blame {org}",
	"{people} are still waiting for an answer about {thing}",
	"{thing} takes twice as long as it did",
	"{thing} is the only thing keeping me going",
	"it would be funny if it were not so {adjNeg}",
	"{org} will blame {people} when it goes wrong",
	"{thing} is exactly what we warned about",
	"the details went round {when}",
	"{people} are the best thing about this job",
	"{org} was {intens} clear that {thing} would not change",
	"everyone {where} knows {thing} is {adjNeg}",
	"there was no consultation about {thing}",
	"it is about time someone said it",
	"I said as much at the last team meeting",
	"nobody believes a word of it any more",
	"we have heard it all before",
	"it makes you wonder who is in charge",
	"I would leave tomorrow if I could",
	"the mood {where} is grim",
	"this has been coming for years",
	"people outside have no idea what goes on",
	"I read this blog every morning before work",
	"it is worse than anyone is admitting",
	"the whole thing is falling apart",
	"I am sick of being lied to",
	"it is a disaster waiting to happen",
	"nobody has the courage to say it is failing",
	"we are treated like idiots",
	"the atmosphere {where} is toxic",
	"{org} should hang its head in shame",
	"it is a complete waste of everyone's effort",
	"{thing} is the last straw",
	"{people} {where} have been brilliant through all of this",
	"I am {intens} proud of {people} {where}",
	// Clauses that carry no sentiment at all: real comments report as much
	// as they complain, and without these the default sentiment model
	// finds too few neutral comments in the generated archives.
	"{people} {where} moved desks {when}",
	"{org} sent round a note about {thing} {when}",
	"I went to the briefing on {thing} {when}",
	"{thing} starts in the new year",
	"the next meeting about {thing} is on Thursday",
	"{people} {where} asked what {thing} means for them",
	"I have {years} years in and two to go",
	"{thing} was on the agenda {when}",
	"{people} {where} are reading the same memo",
	"I spoke to {people} about {thing} {when}",
	"{org} has put {thing} out to consultation",
	"we were told to wait for the details",
	"the notes from the briefing went to every team",
	"I will say more when I know more",
	"{thing} comes in at the end of the quarter",
	"my team covers two towns and a rural patch",
	"{people} {where} met {org} {when}",
	"I read the whole document {when}",
	"{thing} was announced {when}",
	"there is a staff survey out this month",
	"{people} {where} will hear more at the next briefing",
	"I started as a PSO and qualified later",
	"{org} has written to every office about {thing}",
	"we moved to the new building {when}",
	"{thing} was the main item at the regional meeting",
	"I asked a colleague about {thing} {when}",
	"{people} {where} now sit on the second floor",
	"the figures for {thing} come out each quarter",
	"I will bring it up at supervision",
	"{org} put out a statement {when}",
	"the timetable for {thing} is in the latest memo",
	"{people} {where} have a team day next week",
}

// questionTemplates are neutral whole sentences that end in a question
// mark.
var questionTemplates = []string{
	"why does {org} still {verbBase} {thing}",
	"who is going to sort out {thing}",
	"does anyone know what is happening with {thing}",
	"is anyone surprised",
	"what happened to {thing}",
	"has {org} even read the inspection findings",
	"when will {org} admit that {thing} is {adjNeg}",
	"is it just me or is {thing} getting worse",
	"what exactly are {people} supposed to do about {thing}",
	"how is this still allowed to happen",
}

// shortSentences are whole sentences of at most about 30 bytes, for the
// shortest comments and for variety in long ones.
var shortSentences = []string{
	"Well said.", "Hear hear!", "Spot on.", "So true.", "Agreed.", "Exactly this.",
	"Shameful.", "What a mess.", "Thank you.", "Couldn't agree more.", "Brilliant post.",
	"Nothing new there.", "Sad but true.", "Not again!", "Utter madness.", "Quite right too.",
	"Good luck with that.", "Ha! If only.", "Says it all really.", "Seconded.", "Too true.",
	"Sounds familiar.", "Disgraceful.", "Keep going.", "Nail on the head.", "Same here.",
	"Oh dear.", "Well done all.", "Depressing reading.", "Stay strong everyone.",
	"Makes me so angry.", "I give up.", "Never again.", "Absolutely spot on!!",
	"That is the truth of it.", "This is so depressing.", "We all know why.",
	"Good news at last.", "Thanks for this.", "Worrying times.", "Speak up, people.",
	"Unbelievable.", "Not in my office.", "Great comment.", "What a joke ;)",
	"Same in our area.", "Any news on this?", "Noted.", "Watch this space.", "We shall see.",
	"Posted on behalf of a colleague.", "Back to work tomorrow.", "More on this later.",
}

// openers go before a sentence's first clause.
var openers = []string{
	"Frankly, ", "To be honest, ", "Sadly, ", "Yet again ", "Meanwhile ", "As a PO, ",
	"As a PSO, ", "Speaking as a practitioner, ", "In my experience, ", "Let's be honest, ",
	"Believe me, ", "Mind you, ", "Funnily enough, ", "Quite simply, ", "Like everyone else, ",
	"Once again ", "From where I sit, ", "Of course ", "In fairness, ", "Honestly, ",
	"Round here ", "For what it's worth, ", "Sorry but ", "Worse still, ", "On the other hand ",
}

// connectors join two clauses of one sentence.
var connectors = []string{
	", and ", ", but ", " because ", " while ", "; ", ", so ", " and yet ", ", which means ",
	" when ", " although ", " since ", " until ", ", or ", " - ", " and ", " but ", ", as ",
}

// slotWords fills the slots other than {org}, {people} and {thing}, and
// holds the neutral lists for those three. Every {org} is singular and
// every {people} plural.
var slotWords = map[string][]string{
	"org": {
		"the office", "the organisation", "the new regime", "the area office", "the training team",
		"the press office", "the regional office", "the service", "our area", "the new provider",
		"the inspectorate", "the board", "the top floor", "the centre",
	},
	"people": {
		"POs", "PSOs", "staff", "colleagues", "new starters", "support staff", "experienced officers",
		"hostel staff", "tutors", "the trainees", "officers", "the public", "people",
		"the old hands", "the newly qualified", "everyone I work with", "probation officers",
	},
	"verbPast": {
		"cut", "ignored", "promised", "scrapped", "rolled out", "announced", "changed",
		"slashed", "delayed", "messed up", "questioned", "criticised", "defended",
		"reviewed", "quietly dropped", "talked up", "rushed through", "praised", "finally fixed",
	},
	"verbPres": {
		"keeps ignoring", "refuses to discuss", "has no idea about", "does not care about",
		"is pushing", "wants to cut", "is hiding", "still talks about", "never mentions",
		"claims to value", "is finally looking at", "seems happy with", "is spinning",
		"keeps changing", "has given up on", "is proud of",
	},
	"verbBase": {
		"ignore", "defend", "talk up", "push", "pretend to care about", "get away with", "spin",
	},
	"feelNeg": {
		"angry", "worried", "fed up", "sick of it", "let down", "ashamed", "furious",
		"disgusted", "frustrated", "upset", "bitter", "livid", "disappointed", "gutted",
		"cynical", "embarrassed",
	},
	"adjNeg": {
		"awful", "shameful", "ridiculous", "unsafe", "pointless", "broken", "appalling",
		"depressing", "insulting", "chaotic", "unworkable", "hopeless", "scandalous", "unfair",
		"wrong", "disgraceful", "absurd", "demeaning", "shambolic",
	},
	"badNoun": {
		"a disgrace", "a shambles", "a mess", "a joke", "a farce", "beyond a joke",
		"worse than ever", "an insult", "a scandal", "a car crash",
	},
	"adjPos": {
		"good", "fair", "helpful", "brilliant", "sensible", "a relief", "encouraging",
		"positive", "excellent", "welcome", "decent", "honest", "supportive", "fine", "great",
	},
	"adjPosJob": {"great", "good", "decent", "brilliant", "fantastic", "solid", "fine", "superb"},
	"deserve": {
		"a fair deal", "some respect", "proper support", "an apology", "better than this",
		"real answers", "to be listened to", "thanks, not blame",
	},
	"intens": {
		"very", "really", "so", "totally", "utterly", "absolutely", "extremely", "completely",
		"pretty", "quite", "incredibly", "deeply", "seriously",
	},
	"when": {
		"last week", "this morning", "yesterday", "in 2015", "every month", "for two years",
		"at the team meeting", "before Christmas", "this year", "at the last inspection",
		"over the summer", "again", "without a word", "in the spring", "at the staff briefing",
		"last month", "overnight",
	},
	"where": {
		"in our office", "on my team", "in the north", "in London", "in this area",
		"down the corridor", "in every team", "in the Midlands", "here", "in my area",
		"on the front line", "across the region",
	},
	"feelLow": {"exhausted", "stressed", "burnt out", "anxious", "overwhelmed", "demoralised", "worn out", "miserable"},
	"num":     {"40", "55", "60", "70", "80", "90", "a hundred", "twelve", "thirty", "sixty", "200", "35", "48", "65"},
	"years":   {"twenty", "fifteen", "eight", "thirty", "ten", "twelve", "25", "18"},
	"percent": {"130", "145", "160", "120", "175", "110"},
}

// generalThings are the neutral {thing}s. A thing ending in "+" is plural:
// the verb after it agrees ("caseloads are", not "caseloads is"), and the
// "+" is dropped.
var generalThings = []string{
	"the job", "the service", "probation", "the office", "the team", "the future",
	"the whole thing", "this blog", "the plan", "the changes+", "the figures+", "the new rules+",
	"the latest memo", "the meeting", "the guidance", "the review", "the so-called vision",
	"the message from the top", "this week", "the news", "the inspection", "the new building",
	"the office move", "the rota", "the new forms+", "the training",
}

// theme is something a comment is about, with its own clauses and words.
type theme struct {
	name    string
	weight  float64 // the chance that a comment takes the theme up
	clauses []string
	// orgs, people and things fill {org}, {people} and {thing} in the
	// theme's comments, beside the neutral lists.
	orgs, people, things []string
}

// themes follow the default taxonomy's topics, because those are what the
// blog talks about. The weights are chosen so that the default tagger
// finds each topic in about the share of generated comments it finds in
// the seeds' (TestVocabularyLooksLikeSeeds in cmd/chorus).
var themes = []theme{
	{name: "privatisation", weight: 0.55,
		clauses: []string{
			"the CRC was never going to work as a business",
			"{org} only cares about profit",
			"the split has left two services doing one job",
			"the private sector was never the answer",
			"payment by results was a fantasy from day one",
			"the contract rewards {org} for cutting corners",
			"everything since TR has been about the share price",
			"the community hubs are open plan and nobody can talk in confidence",
			"{people} are paying for the failures of the owners",
			"{thing} should never have been sold off",
		},
		orgs:   []string{"the CRC", "our CRC", "the private provider", "the company", "the owning company"},
		people: []string{"the owners", "the shareholders", "CRC staff", "the bidders"},
		things: []string{
			"the CRC contract", "the sale", "the new owners' plans+", "payment by results",
			"the rate card", "the profit margin", "the private sector", "outsourcing",
			"the operating model", "the community hubs+", "TR", "the contract variation",
			"the split", "the whole privatisation", "the shareholders' dividend",
		}},
	{name: "politics", weight: 0.34,
		clauses: []string{
			"the minister has never set foot in a probation office",
			"the MoJ knew this would happen",
			"the government will never admit that it failed",
			"the justice committee said as much last year",
			"ministers keep quoting figures nobody recognises",
			"this is what austerity looks like on the ground",
			"no MP has asked the right question yet",
			"the Secretary of State needs to read this blog",
		},
		orgs:   []string{"the MoJ", "the minister", "the government", "HMPPS", "NOMS", "the Treasury"},
		people: []string{"ministers", "politicians", "MPs", "civil servants"},
		things: []string{
			"the minister's statement", "government policy", "austerity", "the white paper",
			"the election", "Parliament", "the written answer", "the reunification plan", "Westminster",
		}},
	{name: "management", weight: 0.26,
		clauses: []string{
			"senior management are hiding in head office",
			"my SPO is under as much pressure as the rest of us",
			"the targets matter more than the work",
			"management by spreadsheet has replaced professional judgement",
			"our chief sends a cheerful message every Friday",
			"the leadership team have no idea what we do",
			"every meeting is about performance and never about people",
			"{people} are told to hit the KPIs and keep quiet",
		},
		orgs:   []string{"senior management", "head office", "my SPO", "my line manager", "the ACO", "HR", "the chief executive"},
		people: []string{"managers", "middle managers", "senior leaders", "SPOs"},
		things: []string{
			"the targets+", "the KPIs+", "the restructure", "performance management",
			"the appraisal", "the new line manager", "the audit", "the tick box culture",
			"the disciplinary",
		}},
	{name: "unions", weight: 0.25,
		clauses: []string{
			"Napo has been too quiet for too long",
			"the union needs to ballot for industrial action",
			"our reps have no facility time left",
			"join the union if you have not already",
			"the branch meeting was packed for once",
			"collective bargaining is the only protection we have",
			"the general secretary should say this loudly",
			"where is Napo on {thing}",
		},
		orgs:   []string{"Napo", "the union", "the branch", "the NEC"},
		people: []string{"our reps", "the unions", "members", "union officials"},
		things: []string{
			"the ballot", "facility time", "collective bargaining", "the branch meeting",
			"industrial action", "the strike", "the AGM motion",
		}},
	{name: "service_users", weight: 0.27,
		clauses: []string{
			"{people} deserve better than a phone call every six weeks",
			"people on probation are being seen by phone every six weeks",
			"the relationship with the person in front of you is the whole job",
			"housing is the first thing anyone on licence asks about",
			"I got into this work to help people change",
			"face to face supervision has all but disappeared",
			"the clients notice when their officer changes every few months",
		},
		people: []string{"service users", "the clients", "people on probation", "the people we supervise", "families"},
		things: []string{
			"supervision", "home visits+", "face to face contact", "housing", "rehabilitation",
			"desistance work", "accredited programmes+", "unpaid work", "through the gate",
			"accommodation for prison leavers",
		}},
	{name: "courts", weight: 0.22,
		clauses: []string{
			"the court wanted a full report and we only had time for an oral one",
			"magistrates are asking why the reports are so thin",
			"the PSR used to be the heart of the job",
			"sentencers are losing faith in community orders",
			"breach has become a numbers game",
			"the bench asked for a proposal we could not deliver",
		},
		orgs:   []string{"the court team", "the bench", "the CPS"},
		people: []string{"sentencers", "magistrates", "judges", "court staff", "legal advisers"},
		things: []string{
			"court reports+", "the PSR", "breach", "oral reports+", "the RAR days+",
			"the court duty rota", "the pre-sentence report", "community orders+", "the sentence proposal",
		}},
	{name: "pay", weight: 0.23,
		clauses: []string{
			"the pay award is an insult after years of pay freeze",
			"I am paid less in real terms than I was ten years ago",
			"agency staff earn more than the officers they sit beside",
			"voluntary redundancy took out the most experienced people",
			"the pension is the only reason some of us stay",
			"a PSO salary will not cover the rent {where}",
		},
		people: []string{"agency staff"},
		things: []string{
			"the pay award", "the pay freeze", "our pensions+", "voluntary redundancy", "the payscale",
			"salaries+", "the pay deal", "agency rates+", "pay progression", "the redundancy package",
			"the cost of living",
		}},
	{name: "risk", weight: 0.16,
		clauses: []string{
			"the risk assessment had to be done in ten minutes",
			"public protection is being left to luck",
			"high risk cases are being handed to people with no training",
			"someone will get hurt and the review will blame the officer",
			"MAPPA meetings are the one place where agencies still talk",
			"safeguarding checks take weeks to come back",
		},
		orgs:   []string{"MAPPA", "the police"},
		people: []string{"victims", "high risk offenders"},
		things: []string{
			"risk assessments+", "safeguarding", "public protection", "high risk cases+",
			"SFO reviews+", "domestic abuse cases+", "risk of serious harm", "licence conditions+",
		}},
	{name: "wellbeing", weight: 0.17,
		clauses: []string{
			"half the team is off sick with stress",
			"I am exhausted and the week has barely started",
			"morale is the lowest I have known it",
			"I have not slept properly for months",
			"occupational health told me to take a break and nothing else",
			"people are burnt out and nobody notices",
			"{people} are {feelLow}",
		},
		things: []string{"stress", "morale", "sick leave", "burnout", "mental health", "staff wellbeing", "low morale"},
	},
	{name: "workload", weight: 0.14,
		clauses: []string{
			"my caseload went from {num} to {num} {when}",
			"I have {num} cases and it is not safe",
			"nobody can be expected to manage {num} cases",
			"the workload measurement tool says I am at {percent} per cent",
			"the backlog grows every week",
			"I do my paperwork at home every evening",
			"we are understaffed and the vacancies are not being filled",
			"how can anyone manage {num} cases",
		},
		people: []string{"case managers", "new starters with full caseloads"},
		things: []string{"caseloads+", "the workload", "the WMT", "paperwork", "the backlog", "unpaid overtime", "vacancies+", "staffing levels+"},
	},
	{name: "it", weight: 0.13,
		clauses: []string{
			"nDelius was down again {when}",
			"OASys crashed twice and I lost a morning's work",
			"the new laptops take ten minutes to log in",
			"the wifi drops every hour",
			"the IT system was designed by someone who has never done the job",
			"the e-learning is a box ticking exercise",
		},
		orgs:   []string{"the IT helpdesk"},
		things: []string{"nDelius", "OASys", "the new IT system", "the laptops+", "email", "the wifi", "the e-learning", "the computer system"},
	},
}

// officialQuotes are phrases of the kind commenters quote from official
// statements, to be put in double quotes.
var officialQuotes = []string{
	"we are on a journey of improvement", "the figures are moving in the right direction",
	"nobody will lose their job", "the numbers are coming down", "this is a transformation",
	"we value every member of staff", "the new model will free up practitioner hours",
	"every case gets the attention it needs", "lessons have been learned",
	"there is no evidence of a problem", "this is business as usual",
	"we are listening to staff", "everything is working as intended",
}

// quoteSources say who is quoted in an officialQuotes quote.
var quoteSources = []string{
	"the newsletter", "the press release", "the briefing pack", "our area lead",
	"the latest bulletin", "the inspectorate", "a man from the regional office",
}

// signOffs are the short signatures a few comments end with.
var signOffs = []string{"NPS PO", "Tired PSO", "Ex PO", "Anon PO", "Northern PO", "Old PO", "Retired PO"}

// urlHosts and urlWords make invented links on the reserved example domains.
var (
	urlHosts = []string{"www.example.org", "news.example.com", "blog.example.net", "www.example.com", "example.org"}
	urlWords = []string{
		"probation", "crc", "staff", "survey", "report", "caseloads", "inspection", "justice",
		"news", "pay", "napo", "prisons", "reform", "figures", "2016", "2017", "2018", "update",
	}
)
