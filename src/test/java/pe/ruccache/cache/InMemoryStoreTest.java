package pe.ruccache.cache;

/** Runs the store contract against the in-memory fake, so that tests using it test against the real contract. */
class InMemoryStoreTest extends StoreContract {

    @Override
    protected Store newStore() {
        return new InMemoryStore();
    }
}
