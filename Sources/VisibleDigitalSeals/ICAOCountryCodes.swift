/// Alpha-3 issuing-state codes of ICAO seals (`hdr.is`) and the alpha-2 country (`C`) their Barcode Signer
/// Certificates carry: ISO 3166-1 (from Debian's iso-codes, 249 codes) plus ICAO Doc 9303-3's own codes.
/// Data, not logic: one table, looked up, never extended at run time.
enum ICAOCountryCodes {
    /// The alpha-2 code for an alpha-3 ICAO code; nil for a code not in the table.
    static func alpha2(forICAOCode code: String) -> String? {
        table[code]
    }

    /// Doc 9303-3 codes that are not ISO 3166-1 alpha-3: Germany is `D` (filled `D<<` in a zone, seen in seals),
    /// British nationals' variants share `GB`, Kosovo is `RKS`, and the test state Utopia is `UTO` (its test
    /// signers carry `C=UT`). Codes without a country (UN organisations, refugees, stateless) have no entry.
    private static let icaoSpecific: [(String, String)] = [
        ("D", "DE"), ("D<<", "DE"), ("GBD", "GB"), ("GBN", "GB"), ("GBO", "GB"), ("GBP", "GB"), ("GBS", "GB"),
        ("RKS", "XK"), ("UTO", "UT"), ("EUE", "EU"),
    ]

    /// ISO 3166-1, each entry alpha-3 followed by alpha-2.
    private static let iso3166: [String] = [
        "ABWAW AFGAF AGOAO AIAAI ALAAX ALBAL ANDAD AREAE ARGAR ARMAM ASMAS ATAAQ ATFTF ATGAG AUSAU AUTAT",
        "AZEAZ BDIBI BELBE BENBJ BESBQ BFABF BGDBD BGRBG BHRBH BHSBS BIHBA BLMBL BLRBY BLZBZ BMUBM BOLBO",
        "BRABR BRBBB BRNBN BTNBT BVTBV BWABW CAFCF CANCA CCKCC CHECH CHLCL CHNCN CIVCI CMRCM CODCD COGCG",
        "COKCK COLCO COMKM CPVCV CRICR CUBCU CUWCW CXRCX CYMKY CYPCY CZECZ DEUDE DJIDJ DMADM DNKDK DOMDO",
        "DZADZ ECUEC EGYEG ERIER ESHEH ESPES ESTEE ETHET FINFI FJIFJ FLKFK FRAFR FROFO FSMFM GABGA GBRGB",
        "GEOGE GGYGG GHAGH GIBGI GINGN GLPGP GMBGM GNBGW GNQGQ GRCGR GRDGD GRLGL GTMGT GUFGF GUMGU GUYGY",
        "HKGHK HMDHM HNDHN HRVHR HTIHT HUNHU IDNID IMNIM INDIN IOTIO IRLIE IRNIR IRQIQ ISLIS ISRIL ITAIT",
        "JAMJM JEYJE JORJO JPNJP KAZKZ KENKE KGZKG KHMKH KIRKI KNAKN KORKR KWTKW LAOLA LBNLB LBRLR LBYLY",
        "LCALC LIELI LKALK LSOLS LTULT LUXLU LVALV MACMO MAFMF MARMA MCOMC MDAMD MDGMG MDVMV MEXMX MHLMH",
        "MKDMK MLIML MLTMT MMRMM MNEME MNGMN MNPMP MOZMZ MRTMR MSRMS MTQMQ MUSMU MWIMW MYSMY MYTYT NAMNA",
        "NCLNC NERNE NFKNF NGANG NICNI NIUNU NLDNL NORNO NPLNP NRUNR NZLNZ OMNOM PAKPK PANPA PCNPN PERPE",
        "PHLPH PLWPW PNGPG POLPL PRIPR PRKKP PRTPT PRYPY PSEPS PYFPF QATQA REURE ROURO RUSRU RWARW SAUSA",
        "SDNSD SENSN SGPSG SGSGS SHNSH SJMSJ SLBSB SLESL SLVSV SMRSM SOMSO SPMPM SRBRS SSDSS STPST SURSR",
        "SVKSK SVNSI SWESE SWZSZ SXMSX SYCSC SYRSY TCATC TCDTD TGOTG THATH TJKTJ TKLTK TKMTM TLSTL TONTO",
        "TTOTT TUNTN TURTR TUVTV TWNTW TZATZ UGAUG UKRUA UMIUM URYUY USAUS UZBUZ VATVA VCTVC VENVE VGBVG",
        "VIRVI VNMVN VUTVU WLFWF WSMWS YEMYE ZAFZA ZMBZM ZWEZW",
    ]

    private static let table: [String: String] = {
        var table: [String: String] = [:]
        for row in iso3166 {
            for entry in row.split(separator: " ") where entry.count == 5 {
                table[String(entry.prefix(3))] = String(entry.suffix(2))
            }
        }
        for (alpha3, alpha2) in icaoSpecific { table[alpha3] = alpha2 }
        return table
    }()
}
