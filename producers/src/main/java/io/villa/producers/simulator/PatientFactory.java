package io.villa.producers.simulator;

import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Invents patients. The names are uncommon on purpose (none is an English word, a DocMNIST attribute word or a word a
 * log line would hold), so that a PHI scan that finds one has found a leak, not a coincidence.
 */
final class PatientFactory {

    static final List<String> FAMILY_NAMES = List.of("Abernathy", "Blackwood", "Castellanos", "Drummond", "Ekwueme",
            "Fairweather", "Halvorsen", "Ishikawa", "Jankowski", "Kowalczyk", "Lindqvist", "Montgomery", "Nakashima",
            "Oyelaran", "Pemberton", "Quintanilla", "Rasmussen", "Szymanski", "Thornbury", "Umberfield", "Vasquez",
            "Whitcombe", "Xiaoming", "Yarborough", "Zelinski", "Achterberg", "Bergqvist", "Cavendish", "Delacroix",
            "Esterhazy");
    static final List<String> GIVEN_NAMES = List.of("Agatha", "Bartholomew", "Cornelius", "Delphine", "Evangeline",
            "Ferdinand", "Gwendolyn", "Horatio", "Isadora", "Jebediah", "Kasimir", "Leopoldine", "Mortimer", "Nerissa",
            "Octavian", "Philippa", "Quentin", "Rosalind", "Sebastiano", "Theodora", "Ulrika", "Valentin", "Wilhelmina",
            "Xanthe", "Yevgenia", "Zebedee");
    static final List<String> STREETS = List.of("Quillfeather Lane", "Marrowbone Road", "Hollowmere Street",
            "Brackenridge Avenue", "Tansyfield Close", "Larkspur Crescent", "Wetherby Mews", "Ostwick Drive");
    static final List<String> CITIES = List.of("Millbrook Vale", "Eastwyck", "Port Rennick", "Saltmarsh Ford",
            "Harrowgate Hill", "Cindervale");

    private PatientFactory() {
    }

    /** The patient of the study drawn from {@code random}. */
    static FakePatient patient(SplittableRandom random) {
        String family = FAMILY_NAMES.get(random.nextInt(FAMILY_NAMES.size()));
        String given = GIVEN_NAMES.get(random.nextInt(GIVEN_NAMES.size()));
        String mrn = String.format(Locale.ROOT, "H%09d", random.nextInt(1_000_000_000));
        LocalDate birth = LocalDate.of(1930, 1, 1).plusDays(random.nextInt(75 * 365));
        String sex = random.nextBoolean() ? "F" : "M";
        String street = (1 + random.nextInt(998)) + " " + STREETS.get(random.nextInt(STREETS.size()));
        String city = CITIES.get(random.nextInt(CITIES.size()));
        String postal = String.format(Locale.ROOT, "%05d", 10_000 + random.nextInt(89_999));
        String phone = String.format(Locale.ROOT, "555-%03d-%04d", 200 + random.nextInt(800), random.nextInt(10_000));
        return new FakePatient(family, given, mrn, birth, sex, street, city, postal, phone);
    }
}
