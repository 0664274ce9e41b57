"""Given names from many cultures, lowercase: a capitalised word in this list is a person unless a cue says
otherwise. General knowledge, not taken from an evaluation set."""

from __future__ import annotations

NAMES = frozenset(
    """aaron abby abdul abigail ada adaeze adam adebayo adeola aditi aditya adrian adriana agnes ahmad ahmed aiden
    aiko aileen aimee aine aino aisha aisling aiyana akira akosua alan alberto aleksandra alessandro alessia alex
    alexander alexandra alexei alexis alfie alfonso alfred ali alice alicia alina alison alistair allison alma
    alvaro amaka amal amanda amani amara amelia amina amir amit amrita amy ana ananya anders andre andrea andrei
    andres andrew andy angela angelica angus anika aniket anil anita anjali ankit ann anna anne annie anthony anton
    antonio anya aoife arash archie ariana ariel arjun arnav arturo arun aryan asel asha ashley ashok astrid aurora
    ava avery axel ayaan ayesha ayumi azadeh babajide baptiste barbara barry bastian bea beatriz becky bella ben
    benedict benjamin benji bernard beth bettina bianca bilal bjorn blessing bob bogdan boris brandon brenda
    brendan brian bridget brigid bruno bryan caitlin callum camila camille candice cara carl carla carlo carlos
    carlota carly carmen carol carolina caroline casey cassie catalina catherine cathy cecilia cedric celine
    chandra chantal charlie chen chiamaka chiara chidi chika chinedu chioma chitra chloe chris christian christina
    christine christopher chukwuemeka ciara cindy claire clara claudia clement colin connor constance cora corinne
    craig cristina cyrus dahlia daisy dalia damian dan dana daniel daniela danielle dario darius darren dave david
    dawit dean debbie declan deepa deepak delia denise dennis derek desmond devi dharma diana diego dimitri dina
    dinesh divya dmitri dominic donna dora doris dorothy duc dylan eamon ebony edgar edith edward efua eileen ejike
    elaine eleanor elena eli elif elijah elin elise eliza elizabeth ella ellen ellie elliot eloise elsa emeka emil
    emilia emilio emily emma emre enrique eric erik erin ernesto esme esra esther ethan eun eunice eva evan evelyn
    ewa ezra fabian fabio farah farhan farid fatima fatma federica federico felipe felix femi fernanda fernando
    filip finn fiona florian folake francesca francesco francis francisco frank franziska fred freddie frederik
    freya funmi gabriel gabriela gareth gary gaurav gavin gemma geoffrey george gerald gianluca gillian gina
    giorgio giovanni giulia giuseppe gloria gonzalo gordon grace graham greta guillermo gustavo gwen hailey haleh
    hamid hamza hana hannah hans hao harper harriet harry haruto hassan hayden heather hector heidi helen helga
    henrik henry hina hiro hiroshi hoang holly hugo hyun ian ibrahim idris ifeoma ignacio ikechukwu ilona imogen
    indira ines ingrid irene irina iris isaac isabel isabella isabelle ishaan isla ismail ivan ivy jack jacob
    jacqueline jade jake jamal james jamie jane janet janice jared jasmine jason javier jay jayden jean jeff
    jennifer jenny jeremy jess jesse jessica jesus jiho jill jimmy jin jiwoo joan joanna joao jocelyn joe joel
    johan johanna john jonah jonas jonathan jordan jorge jose joseph josh joshua joyce juan judith julia julian
    julie julien julius junaid june justin kai kaito kamal kamala kareem karen karim karin karina karl kasia
    katarina kate katharina katherine kathy katie kavya kayla keisha keith kelechi kelly ken kenji kenneth kevin
    khadija khalid kiara kieran kim kimberly kiran kofi kojo kumar kwabena kwame kyle kylie lakshmi lana lars
    laszlo laura lauren laurent layla lea leah leila lena leo leon leonardo leonie liam lidia lily lin lina linda
    lindsay liz lola lorenzo louis louise luca lucas lucia luciana lucie lucy ludovic luis luisa luka luke lwazi
    lydia maddie madeleine madison mads magda magdalena magnus mahmoud maja malcolm malik mandla manuel manuela
    mara marc marcel marco marcus margaret maria mariam mariana marie marina mario marisol marius marjorie mark
    marta martin mary mateo matilda matt matteo matthew maureen max maxim maximilian maya meera megan mehdi mehmet
    mei melanie melissa mercy mia michael michelle miguel mihai mika mikael mike mila milena mina ming minh mira
    miriam mitchell miyu mohammed molly monica morgan moritz muhammad musa nadia nadine nana nanami naomi nathan
    naveen nayeli ndidi neha neil nelly nguyen niamh nicholas nick nicola nicole niels nikhil nikita nikolai nils
    nina nisha noah noor nora norah nuno obinna oksana olaf oleksandr olga oliver olivia olumide oluwaseun omar
    omari onur orla oscar oskar owen ozan pablo pamela paola paolo parisa patricia patrick paul paula paulina
    pauline pavel pedro penelope peter petra philip philippa phoebe pierre pietro piotr pooja prakash pranav preeti
    priscilla priya qian quentin quinn rachael rachel rafael rahel rahul raj rajesh ramesh rana rania raphael
    rashid rasmus raul ravi ray rebecca reza rhys ricardo richard rita rob robert roberto robin rodrigo roger rohan
    roman ronan rory rosa rosie ross roxana rui rupert ruth ryan sabrina sadia saeed sakura salma salome sam
    samantha samir samuel sana sandeep sandra sanjay santiago santino sara sarah sarita sasha saskia satoshi saul
    scott sean sebastian selin sergei sergio seun shanice shanti sharon shauna sheila shirin shivani shreya shu
    siddharth sienna signe silvia simon simone siobhan siti sizwe sofia sophia sophie soren sota stefan stella
    stephanie stephen steve sue sunita suresh susan susanne svetlana swati sylvia tamara tanvi tanya tara tariq
    tatiana temi teresa thabo thandiwe theo theodore thi thomas tiago tim tina tobias toby tom tomas tomasz toni
    tony tran trinh tristan tunde ulrich uma ursula usman valentina valeria vanessa varun vera veronica vicky
    victor vijay vikram vincent violet vivek vivian vladimir wanjiru wei wendy wiktoria wilhelm will william
    winston wojciech wu xavier xia xiao xin yan yara yasmin yaw yejin yen yi yolanda yosef younes yousef yu yuki
    yuna yuri yusuf yvonne zach zachary zahra zainab zane zara zeynep zhang zhao zhen zoe zoltan zuzana""".split()
)
